package io.prunestream.core.gal;

import io.prunestream.core.train.EpochStats;

/**
 * One GAL epoch: the student's stats (loss = distance to the teacher + adversarial term + lambda |m|_1,
 * accuracy against the labels), the mask sparsity at its end and the discriminator's mean loss.
 */
public record GalEpoch(EpochStats student, double maskSparsity, double discriminatorLoss) {}

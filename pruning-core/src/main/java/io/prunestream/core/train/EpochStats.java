package io.prunestream.core.train;

/**
 * One epoch of training.
 *
 * @param epoch 1-based
 * @param trainLoss mean loss over the epoch's images, measured while the weights moved
 * @param trainAccuracy fraction of the epoch's images classified correctly when they were trained on
 * @param learningRate the rate of the epoch's first step
 * @param seconds wall time of the epoch, data batching included
 * @param imagesPerSecond images trained on divided by {@code seconds}
 */
public record EpochStats(int epoch, double trainLoss, double trainAccuracy, double learningRate, double seconds,
        double imagesPerSecond) {}

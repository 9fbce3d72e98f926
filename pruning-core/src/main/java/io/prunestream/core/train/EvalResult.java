package io.prunestream.core.train;

/**
 * Quality of a model on a dataset.
 *
 * @param accuracy fraction of images whose largest logit is the label, in [0, 1]
 * @param loss mean softmax cross-entropy (natural log) per image
 * @param samples images evaluated
 */
public record EvalResult(double accuracy, double loss, int samples) {}

package io.prunestream.core.model;

/**
 * The network input: an image of {@code channels x height x width}, preprocessed as
 * {@code (pixel / 255 - mean) / std}. The package records the preprocessing because a pruned model
 * must be fed exactly like the original.
 */
public record InputSpec(int channels, int height, int width, double mean, double std) {
    public int[] shape() {
        return new int[] {channels, height, width};
    }
}

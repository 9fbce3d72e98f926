package io.prunestream.tf.export;

import org.tensorflow.Output;

/**
 * A package node's output inside the TensorFlow graph being written: the tensor, the per-sample
 * package shape, and, for a vector flattened from a {@code [C, H, W]} map, that map's shape, since
 * TensorFlow flattens NHWC maps in H-W-C order and the next linear layer's weight is reordered for it.
 */
record Flow(Output<?> tensor, int[] shape, int[] flattenedFrom) {
    static Flow of(Output<?> tensor, int[] shape) {
        return new Flow(tensor, shape, null);
    }

    Flow with(Output<?> t) {
        return new Flow(t, shape, flattenedFrom);
    }
}

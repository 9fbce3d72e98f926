package io.prunestream.tf.convert;

/**
 * What a TensorFlow tensor is in the package being built: the node producing it and its per-sample
 * shape ({@code [C, H, W]} or {@code [F]}). {@code flattenedFrom} is set on vectors that Keras
 * flattened from a {@code [C, H, W]} map in H-W-C order, which the next dense layer's weight must be
 * reordered for. {@code pad} is padding (from a Pad or PadV2 op) still to be absorbed by the consumer,
 * with zeros or, if {@code padLowest}, with the lowest float (what a max pool pads with);
 * {@code nonNegative} marks ReLU outputs, where zero padding before a max pool changes nothing.
 */
record Value(String id, int[] shape, int[] flattenedFrom, int pad, boolean padLowest, boolean nonNegative) {
    static Value of(String id, int[] shape) {
        return new Value(id, shape, null, 0, false, false);
    }

    boolean isMap() {
        return shape.length == 3;
    }

    int channels() {
        return shape[0];
    }

    Value withPad(int p, boolean lowest) {
        return new Value(id, shape, flattenedFrom, p, lowest, nonNegative);
    }
}

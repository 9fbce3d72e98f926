package io.prunestream.core.gal;

import ai.djl.ndarray.NDArray;

/** Binary cross-entropy on raw discriminator logits, in the numerically stable softplus form. */
final class GanLosses {
    private GanLosses() {}

    /** Batch mean of {@code -log sigmoid(x)} = softplus(-x): the loss of calling {@code x} "teacher". */
    static NDArray saysTeacher(NDArray logits) {
        return softplus(logits.neg()).mean();
    }

    /** Batch mean of {@code -log(1 - sigmoid(x))} = softplus(x): the loss of calling {@code x} "student". */
    static NDArray saysStudent(NDArray logits) {
        return softplus(logits).mean();
    }

    /** log(1 + e^x) = max(x, 0) + log(1 + e^-|x|), which never overflows. */
    static NDArray softplus(NDArray x) {
        return x.maximum(0f).add(x.abs().neg().exp().add(1f).log());
    }
}

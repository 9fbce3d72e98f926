package io.prunestream.core.importance;

import ai.djl.ndarray.NDArray;

/**
 * Softmax cross-entropy summed over examples, in double on the heap: loss differences between
 * replicas of one pass are often far smaller than a float's resolution of the loss itself.
 */
final class CrossEntropy {
    private CrossEntropy() {}

    /** Σ over examples {@code [first, first + count)} of {@code -log softmax(logits)[label]}. */
    static double sum(float[] logits, int first, int count, int classes, int[] labels) {
        double total = 0;
        for (int e = 0; e < count; e++) {
            int row = (first + e) * classes;
            double max = Double.NEGATIVE_INFINITY;
            for (int k = 0; k < classes; k++) {
                max = Math.max(max, logits[row + k]);
            }
            double z = 0;
            for (int k = 0; k < classes; k++) {
                z += Math.exp(logits[row + k] - max);
            }
            total += max + Math.log(z) - logits[row + labels[e]];
        }
        return total;
    }

    /** Float class indices, as batches carry them, as ints. */
    static int[] labels(NDArray labels) {
        float[] f = labels.toFloatArray();
        int[] out = new int[f.length];
        for (int i = 0; i < f.length; i++) {
            out[i] = Math.round(f[i]);
        }
        return out;
    }
}

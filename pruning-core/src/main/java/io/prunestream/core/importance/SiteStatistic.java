package io.prunestream.core.importance;

import ai.djl.ndarray.NDArray;

/**
 * Accumulates one per-channel statistic of one tensor over the batches of the calibration sample.
 * Implementations reduce each batch on the engine and keep only per-channel numbers on the heap.
 */
interface SiteStatistic {
    /**
     * Adds a batch: the tensor as {@code [batch, channels, positions]} and, when the criterion asked
     * for gradients, the gradient of the summed loss with respect to it (otherwise {@code null}).
     */
    void add(NDArray activation, NDArray gradient);

    /** One value per channel (entry of axis 1) of the tensor. */
    double[] perChannel();

    /** Per-channel sums over batch and positions, in double; a helper most statistics share. */
    static double[] sumOverBatchAndPositions(NDArray values) {
        float[] s = values.sum(new int[] {2}).sum(new int[] {0}).toFloatArray();
        double[] out = new double[s.length];
        for (int i = 0; i < s.length; i++) {
            out[i] = s[i];
        }
        return out;
    }

    static void addInto(double[] total, double[] more) {
        for (int i = 0; i < total.length; i++) {
            total[i] += more[i];
        }
    }
}

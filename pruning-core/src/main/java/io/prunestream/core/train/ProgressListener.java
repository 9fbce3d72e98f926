package io.prunestream.core.train;

/**
 * Hears how training proceeds, so that a CLI can draw a progress bar and a service can emit events;
 * the library itself prints nothing. Calls come on the training thread, between optimiser steps, so
 * a slow listener slows training. An exception thrown from a listener stops training and reaches the
 * caller; the run's native memory is freed all the same.
 */
public interface ProgressListener {
    /** Ignores everything. */
    ProgressListener NONE = new ProgressListener() {};

    /**
     * After each optimiser step.
     *
     * @param epoch 1-based epoch
     * @param batch 1-based index of the batch just trained, up to {@code batches}
     * @param batches batches in this epoch
     * @param loss mean loss of this batch
     * @param accuracy training accuracy on this batch, in [0, 1]
     */
    default void onBatch(int epoch, int batch, int batches, double loss, double accuracy) {}

    /** After each epoch. */
    default void onEpoch(EpochStats stats) {}
}

package io.prunestream.core.cost;

/**
 * One model ready to be timed. It is opened (weights on the device, engine warm) before any clock
 * starts, so that {@link LatencyMeter} can time several models round by round at the same moment
 * rather than one after the other. Packages on a DJL device are {@link PackageForward}; other
 * engines (the TensorFlow bridge's SavedModels) bring their own.
 */
public interface TimedForward extends AutoCloseable {
    /** Where it runs, as reported beside its latency (for example {@code cpu()}). */
    String device();

    /**
     * Wall time of one inference forward pass at {@code batchSize}, in milliseconds. The input is made
     * before the clock starts and the clock stops only once the output exists (an asynchronous device
     * is waited for).
     */
    double forwardMs(int batchSize);

    /** Frees what opening it took; no checked exception, so callers can close in a plain finally. */
    @Override
    void close();
}

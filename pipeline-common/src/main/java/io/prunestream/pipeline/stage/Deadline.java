package io.prunestream.pipeline.stage;

/**
 * A stage's time limit. Long computations call {@link #check()} between steps: DJL's native calls
 * cannot be interrupted, so stopping is cooperative.
 */
public final class Deadline {
    private final long endNanos;
    private final int limitSeconds;
    private volatile boolean cancelled;

    public Deadline(int limitSeconds) {
        this.limitSeconds = limitSeconds;
        this.endNanos = System.nanoTime() + limitSeconds * 1_000_000_000L;
    }

    public void cancel() {
        cancelled = true;
    }

    public boolean expired() {
        return cancelled || System.nanoTime() > endNanos;
    }

    public void check() {
        if (expired()) {
            throw new StageTimeoutException(limitSeconds);
        }
    }

    public int limitSeconds() {
        return limitSeconds;
    }

    /** Thrown inside a stage that ran past its limit. */
    public static final class StageTimeoutException extends RuntimeException {
        public StageTimeoutException(int seconds) {
            super("the stage exceeded its time limit of " + seconds + " s");
        }
    }
}

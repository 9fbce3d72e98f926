package io.prunestream.pipeline.stage;

import io.prunestream.core.cancel.CancellationToken;
import io.prunestream.core.cancel.OperationCancelledException;

/**
 * A stage's time limit, kept by the stage's {@link CancellationToken}: long computations call
 * {@link #check()} between steps (and pruning-core's loops call {@link CancellationToken#checkpoint()}
 * per batch), because DJL's native calls cannot be interrupted, so stopping is cooperative. A check
 * throws whatever stopped the token first: this limit, the job's cancellation or budget, or the
 * service shutting down.
 */
public final class Deadline {
    private final int limitSeconds;
    private final CancellationToken token;

    public Deadline(int limitSeconds) {
        this(limitSeconds, new CancellationToken());
    }

    Deadline(int limitSeconds, CancellationToken token) {
        this.limitSeconds = limitSeconds;
        this.token = token.deadline(System.nanoTime() + limitSeconds * 1_000_000_000L,
                () -> new StageTimeoutException(limitSeconds));
    }

    public void cancel() {
        token.cancel(new StageTimeoutException(limitSeconds));
    }

    public boolean expired() {
        return token.isCancelled();
    }

    public void check() {
        token.check();
    }

    public int limitSeconds() {
        return limitSeconds;
    }

    /** The token the stage's work runs with; its reason says why the work stopped. */
    public CancellationToken token() {
        return token;
    }

    /** Thrown inside a stage that ran past its limit. */
    public static final class StageTimeoutException extends OperationCancelledException {
        public StageTimeoutException(int seconds) {
            super("the stage exceeded its time limit of " + seconds + " s");
        }
    }
}

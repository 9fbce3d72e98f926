package io.prunestream.core.cancel;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

/**
 * A cooperative stop signal for long work. DJL's native calls cannot be interrupted, so a thread
 * interrupt does not stop training; instead every long loop of this library (training and GAL epochs,
 * DSA steps, EagleEye draws, AOFP round trips, adaptive-BN and evaluation batches, through
 * {@code ImageDataset}'s batch iterator) calls {@link #checkpoint()} once per batch, which throws the
 * {@link OperationCancelledException} the token was cancelled with.
 *
 * <p>The token travels with the thread rather than through every constructor: a caller runs work with
 * {@link #callWith}, and code deep inside reaches it through {@link #current()}. Work run outside any
 * token sees {@link #NONE} and is never stopped.
 *
 * <p>Besides {@link #cancel}, a token can poll {@link Probe}s at its checkpoints (a wall-clock
 * {@link #deadline}, or a flag kept somewhere another process can set), each at most once per its own
 * interval, so that a probe costing a file-system look-up is cheap to check on every batch.
 */
public final class CancellationToken {
    /** Never cancelled: what work sees outside {@link #callWith}. */
    public static final CancellationToken NONE = new CancellationToken();
    private static final ThreadLocal<CancellationToken> CURRENT = ThreadLocal.withInitial(() -> NONE);

    private final List<PolledProbe> probes = new CopyOnWriteArrayList<>();
    private volatile OperationCancelledException stop;

    /** Says why work must stop, or {@code null} to go on. */
    @FunctionalInterface
    public interface Probe {
        OperationCancelledException poll();
    }

    /** The token of the work running on this thread, {@link #NONE} if there is none. */
    public static CancellationToken current() {
        return CURRENT.get();
    }

    /** Throws if the current thread's work was asked to stop: the one call long loops make per batch. */
    public static void checkpoint() {
        current().check();
    }

    /** Runs {@code work} on this thread with {@code token} as the {@link #current()} one. */
    public static <T> T callWith(CancellationToken token, Callable<T> work) throws Exception {
        Objects.requireNonNull(token, "token");
        CancellationToken outer = CURRENT.get();
        CURRENT.set(token);
        try {
            return work.call();
        } finally {
            CURRENT.set(outer);
        }
    }

    /**
     * Asks the work to stop with {@code why}; the first reason wins, later ones are ignored, so the
     * cause a caller reports is the one that actually stopped the work.
     */
    public void cancel(OperationCancelledException why) {
        Objects.requireNonNull(why, "why");
        if (this == NONE) {
            throw new UnsupportedOperationException("CancellationToken.NONE cannot be cancelled");
        }
        synchronized (this) {
            if (stop == null) {
                stop = why;
            }
        }
    }

    /** Polls {@code probe} at checkpoints, at most once per {@code every}; returns this token. */
    public CancellationToken withProbe(Duration every, Probe probe) {
        if (this == NONE) {
            throw new UnsupportedOperationException("CancellationToken.NONE takes no probes");
        }
        probes.add(new PolledProbe(every.toNanos(), Objects.requireNonNull(probe, "probe")));
        return this;
    }

    /** Stops the work once {@code nanoTime} passes {@code endNanos}, with the exception {@code why} makes. */
    public CancellationToken deadline(long endNanos, Supplier<? extends OperationCancelledException> why) {
        return withProbe(Duration.ZERO, () -> System.nanoTime() - endNanos >= 0 ? why.get() : null);
    }

    /** The reason the work was stopped for, or {@code null}; polls the probes that are due. */
    public OperationCancelledException reason() {
        if (stop == null) {
            for (PolledProbe p : probes) {
                OperationCancelledException why = p.pollIfDue();
                if (why != null) {
                    cancel(why);
                    break;
                }
            }
        }
        return stop;
    }

    public boolean isCancelled() {
        return reason() != null;
    }

    /** Throws the reason the work was stopped for, if any. */
    public void check() {
        OperationCancelledException why = reason();
        if (why != null) {
            throw why;
        }
    }

    private static final class PolledProbe {
        private final long everyNanos;
        private final Probe probe;
        private long lastNanos;
        private boolean polled;

        PolledProbe(long everyNanos, Probe probe) {
            this.everyNanos = everyNanos;
            this.probe = probe;
        }

        synchronized OperationCancelledException pollIfDue() {
            long now = System.nanoTime();
            if (polled && now - lastNanos < everyNanos) {
                return null;
            }
            polled = true;
            lastNanos = now;
            return probe.poll();
        }
    }
}

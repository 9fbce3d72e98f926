package io.prunestream.core.engine;

import java.util.Locale;
import java.util.Objects;

/**
 * The process-wide verdict on the engine's numerics, and the convolution every model runs with.
 * The first call runs {@link EngineSelfCheck} on the engine's convolution; if it is wrong, the same
 * check runs on {@link AlignedConvolution} (zero channels padding every count to a multiple of 16)
 * and, if that is right, it becomes the convolution for the rest of the process. The decision is
 * logged in one line. When nothing checked is right the process must not compute at all:
 * {@link #convolution()} throws, services report readiness DOWN, and the message says how to start
 * the process with a safe oneDNN ISA instead (an environment variable read when libtorch loads,
 * hence not something a running process can switch to).
 *
 * <p>Aligned padding was chosen over a global safe ISA because it costs nothing where channels are
 * already aligned (the normal output of pruning with round-to), while {@code ONEDNN_MAX_CPU_ISA=SSE41}
 * halves training speed of every model on the affected CPUs.
 *
 * <p>Settings (system property, else environment variable): {@code prunestream.conv.mode} /
 * {@code PRUNESTREAM_CONV_MODE} = {@code auto} (default), {@code direct} or {@code aligned};
 * {@code prunestream.engine.fault} / {@code PRUNESTREAM_ENGINE_FAULT} = {@code unaligned-channels}
 * simulates the known fault ({@link UnalignedChannelFault}).
 */
public final class EngineNumerics {
    private static final System.Logger LOG = System.getLogger(EngineNumerics.class.getName());

    /** How convolutions run after the check. */
    public enum Mode {
        /** The engine's kernels, verified right. */
        DIRECT,
        /** Channels padded to aligned counts, verified right while the engine's own kernels are not. */
        ALIGNED,
        /** Nothing verified right: the process refuses to compute. */
        UNSAFE
    }

    /** What the user asked for. */
    public enum Request {
        AUTO, DIRECT, ALIGNED;

        static Request parse(String value) {
            if (value == null || value.isBlank()) {
                return AUTO;
            }
            try {
                return valueOf(value.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("unknown convolution mode '" + value
                        + "' in prunestream.conv.mode / PRUNESTREAM_CONV_MODE (known: auto, direct, aligned)");
            }
        }
    }

    /**
     * The verdict.
     *
     * @param mode how convolutions run
     * @param kernel the convolution models use ({@code null} when unsafe)
     * @param direct the check of the engine's own convolution ({@code null} when not run)
     * @param aligned the check of the aligned convolution ({@code null} when not run)
     * @param request what was asked for
     * @param oneDnnIsa the {@code ONEDNN_MAX_CPU_ISA} libtorch loaded with, or "default"
     */
    public record Status(Mode mode, ConvolutionKernel kernel, SelfCheckResult direct, SelfCheckResult aligned,
            Request request, String oneDnnIsa) {
        public boolean safe() {
            return mode != Mode.UNSAFE;
        }

        /** One line for logs, health checks and reports. */
        public String describe() {
            String isa = "oneDNN ISA " + oneDnnIsa;
            return switch (mode) {
                case DIRECT -> "engine self-check passed (" + isa + "): convolutions run on the engine's kernels; "
                        + direct.summary();
                case ALIGNED -> "engine self-check: the engine's convolutions are wrong on this CPU for channel "
                        + "counts that are not multiples of " + ChannelAlignment.DEFAULT_BLOCK + " ("
                        + (direct == null ? "not checked: aligned mode was requested" : direct.summary()) + ", "
                        + isa + "); convolutions now run with zero channels padding every count to a multiple of "
                        + ChannelAlignment.DEFAULT_BLOCK + ", which " + aligned.summary();
                case UNSAFE -> "engine self-check FAILED (" + isa + "): "
                        + (direct == null ? "" : direct.summary() + "; ")
                        + (aligned == null ? "" : aligned.summary() + "; ")
                        + "this process would compute wrong numbers and refuses to. Start it with the environment "
                        + "variable ONEDNN_MAX_CPU_ISA=SSE41 (slower, right on every CPU seen so far)"
                        + (request == Request.AUTO ? "" : ", or with PRUNESTREAM_CONV_MODE=auto");
            };
        }
    }

    private static volatile Status status;

    private EngineNumerics() {}

    /** The verdict, running the self-check the first time. */
    public static Status status() {
        Status s = status;
        if (s == null) {
            synchronized (EngineNumerics.class) {
                s = status;
                if (s == null) {
                    s = decide(baseKernel(setting("prunestream.engine.fault", "PRUNESTREAM_ENGINE_FAULT")),
                            Request.parse(setting("prunestream.conv.mode", "PRUNESTREAM_CONV_MODE")));
                    log(s);
                    status = s;
                }
            }
        }
        return s;
    }

    /** The convolution to compute with; throws {@link EngineNumericsException} when none is right. */
    public static ConvolutionKernel convolution() {
        Status s = status();
        if (!s.safe()) {
            throw new EngineNumericsException(s.describe());
        }
        return s.kernel();
    }

    /**
     * Judges {@code base} (and, if needed and allowed, its aligned form) without installing anything.
     */
    public static Status decide(ConvolutionKernel base, Request request) {
        Objects.requireNonNull(base, "kernel");
        String isa = Objects.requireNonNullElse(System.getenv("ONEDNN_MAX_CPU_ISA"), "default");
        SelfCheckResult direct = null;
        if (request != Request.ALIGNED) {
            direct = EngineSelfCheck.check(base);
            if (direct.passed()) {
                return new Status(Mode.DIRECT, base, direct, null, request, isa);
            }
            if (request == Request.DIRECT) {
                return new Status(Mode.UNSAFE, null, direct, null, request, isa);
            }
        }
        ConvolutionKernel aligned = new AlignedConvolution(base, ChannelAlignment.standard());
        SelfCheckResult alignedCheck = EngineSelfCheck.check(aligned);
        return alignedCheck.passed() ? new Status(Mode.ALIGNED, aligned, direct, alignedCheck, request, isa)
                : new Status(Mode.UNSAFE, null, direct, alignedCheck, request, isa);
    }

    /**
     * Runs the process on {@code base} instead of the engine's convolution until the returned handle
     * is closed, after judging it as at startup: how tests inject a faulty kernel and watch the guard.
     */
    public static KernelOverride override(ConvolutionKernel base) {
        Status previous = status();
        Status next = decide(base, Request.AUTO);
        log(next);
        synchronized (EngineNumerics.class) {
            status = next;
        }
        return new KernelOverride(previous, next);
    }

    /** An installed {@link #override}; closing it restores the verdict before it. */
    public static final class KernelOverride implements AutoCloseable {
        private final Status previous;
        private final Status installed;

        private KernelOverride(Status previous, Status installed) {
            this.previous = previous;
            this.installed = installed;
        }

        public Status status() {
            return installed;
        }

        @Override
        public void close() {
            synchronized (EngineNumerics.class) {
                status = previous;
            }
        }
    }

    private static ConvolutionKernel baseKernel(String fault) {
        if (fault == null || fault.isBlank() || fault.equalsIgnoreCase("none")) {
            return ConvolutionKernel.engine();
        }
        if (fault.trim().equalsIgnoreCase(UnalignedChannelFault.NAME)) {
            LOG.log(System.Logger.Level.WARNING, "simulating a faulty engine ({0}) as configured by "
                    + "PRUNESTREAM_ENGINE_FAULT / prunestream.engine.fault", UnalignedChannelFault.NAME);
            return new UnalignedChannelFault(ConvolutionKernel.engine());
        }
        throw new IllegalArgumentException("unknown engine fault '" + fault + "' in prunestream.engine.fault / "
                + "PRUNESTREAM_ENGINE_FAULT (known: none, " + UnalignedChannelFault.NAME + ")");
    }

    private static void log(Status s) {
        System.Logger.Level level = switch (s.mode()) {
            case DIRECT -> System.Logger.Level.INFO;
            case ALIGNED -> System.Logger.Level.WARNING;
            case UNSAFE -> System.Logger.Level.ERROR;
        };
        LOG.log(level, s.describe());
    }

    private static String setting(String property, String variable) {
        String v = System.getProperty(property);
        return v != null ? v : System.getenv(variable);
    }
}

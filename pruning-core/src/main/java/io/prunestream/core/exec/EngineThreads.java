package io.prunestream.core.exec;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;

/**
 * The PyTorch engine's thread counts. A latency only means something beside the number of threads
 * the kernels used, and libtorch otherwise picks its own, so benchmarks fix the intra-op count and
 * print what is in force.
 *
 * @param intraOp threads one operator (a convolution, a matrix multiply) is split across
 * @param interOp threads for running independent operators in parallel (TorchScript's forks;
 *     DJL's eager execution does not use them, but they count against the same cores)
 */
public record EngineThreads(int intraOp, int interOp) {
    /** Read by DJL's PyTorch engine once, when it starts. */
    public static final String INTRA_OP_PROPERTY = "ai.djl.pytorch.num_threads";
    /** Read with {@link #INTRA_OP_PROPERTY}; libtorch refuses to change it after parallel work has started. */
    public static final String INTER_OP_PROPERTY = "ai.djl.pytorch.num_interop_threads";

    /**
     * Fixes the intra-op thread count and returns the counts in force afterwards. Call it before
     * anything starts the engine: DJL then applies the count at start-up. If the engine is already
     * running (a test JVM, a command that touched it first) the count is set on the running engine,
     * which libtorch allows for intra-op threads; with OpenMP it applies to the calling thread and to
     * threads that have not yet run a kernel, so call it from the thread that will do the timing.
     *
     * @throws IllegalArgumentException if {@code count} is below 1
     * @throws IllegalStateException if the engine still reports another count afterwards
     */
    public static EngineThreads fixIntraOp(int count) {
        if (count < 1) {
            throw new IllegalArgumentException("intra-op threads must be at least 1, got " + count);
        }
        System.setProperty(INTRA_OP_PROPERTY, Integer.toString(count));
        EngineThreads now = inForce();
        if (now.intraOp() != count) {
            JniUtils.setNumThreads(count);
            now = inForce();
        }
        if (now.intraOp() != count) {
            throw new IllegalStateException("asked the PyTorch engine for " + count + " intra-op threads but it uses "
                    + now.intraOp());
        }
        return now;
    }

    /** The counts the calling thread's kernels use now; starts the PyTorch engine if nothing has yet. */
    public static EngineThreads inForce() {
        // JniUtils needs the native library, which only the engine's start loads.
        Engine.getEngine("PyTorch");
        return new EngineThreads(JniUtils.getNumThreads(), JniUtils.getNumInteropThreads());
    }

    /** For reports: "2 intra-op threads, 2 inter-op threads". */
    public String describe() {
        return intraOp + " intra-op thread" + (intraOp == 1 ? "" : "s") + ", " + interOp + " inter-op thread"
                + (interOp == 1 ? "" : "s");
    }
}

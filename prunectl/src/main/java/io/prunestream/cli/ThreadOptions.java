package io.prunestream.cli;

import io.prunestream.core.exec.EngineThreads;
import java.io.PrintWriter;
import picocli.CommandLine.Option;

/**
 * The PyTorch engine's intra-op thread count for a benchmark. Left to itself libtorch picks a count
 * from what it detects, and the latencies of two runs would not say they were taken alike; fixed
 * and printed, they do.
 */
final class ThreadOptions {
    @Option(names = "--threads", paramLabel = "N",
            description = "intra-op threads of the PyTorch engine (default: the ai.djl.pytorch.num_threads property if "
                    + "set, else this machine's cores)")
    Integer threads;

    /**
     * Fixes the count and prints what is in force. Call it first in the command: DJL applies the count
     * when the engine starts (and {@link EngineThreads} sets it directly if something started it earlier).
     */
    EngineThreads apply(PrintWriter out) {
        int count = threads != null ? threads
                : Integer.getInteger(EngineThreads.INTRA_OP_PROPERTY, Runtime.getRuntime().availableProcessors());
        EngineThreads inForce = EngineThreads.fixIntraOp(count);
        out.println("PyTorch engine: " + inForce.describe());
        return inForce;
    }

    /** The option as given, for the command line recorded beside the numbers. */
    String flags() {
        return threads != null ? " --threads " + threads : "";
    }
}

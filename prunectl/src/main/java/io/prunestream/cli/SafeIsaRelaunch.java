package io.prunestream.cli;

import io.prunestream.core.engine.EngineNumericsException;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The last resort when the engine self-check finds no right configuration inside this process: run
 * the same command again in a new JVM whose libtorch loads with {@code ONEDNN_MAX_CPU_ISA=SSE41}
 * (right on every CPU seen so far, and slower, which is why it is not the first choice). The
 * variable must be set before libtorch loads, so a running JVM cannot switch to it. Services that
 * {@code up} or {@code demo} start inherit the variable. Nothing is relaunched when the variable is
 * already set: the message then says what was tried.
 */
final class SafeIsaRelaunch {
    static final String VARIABLE = "ONEDNN_MAX_CPU_ISA";
    static final String SAFE_ISA = "SSE41";

    private SafeIsaRelaunch() {}

    /** Whether {@code e} (or a cause) says the engine's numerics are wrong here. */
    static boolean wanted(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof EngineNumericsException) {
                return System.getenv(VARIABLE) == null;
            }
        }
        return false;
    }

    /** Runs this command again with the safe ISA and returns its exit code, or empty if it cannot. */
    static Optional<Integer> run(PrintWriter err) {
        ProcessHandle.Info info = ProcessHandle.current().info();
        Optional<String> java = info.command();
        Optional<String[]> args = info.arguments();
        if (java.isEmpty() || args.isEmpty()) {
            err.println("prunectl: cannot restart itself here; run it again with " + VARIABLE + "=" + SAFE_ISA);
            return Optional.empty();
        }
        List<String> command = new ArrayList<>();
        command.add(java.get());
        command.add(ChildProcesses.parentPidArgument());
        command.addAll(List.of(args.get()));
        err.println("prunectl: restarting with " + VARIABLE + "=" + SAFE_ISA
                + " (oneDNN limited to SSE4.1: slower, but right on this CPU)");
        err.flush();
        ProcessBuilder pb = new ProcessBuilder(command).inheritIO();
        pb.environment().put(VARIABLE, SAFE_ISA);
        try {
            Process child = pb.start();
            // SIGTERM or Ctrl-C reaches this process; the restarted one (and the services it started)
            // must stop with it rather than run on unseen.
            Runtime.getRuntime().addShutdownHook(new Thread(
                    () -> ChildProcesses.stop(List.of(child), ServiceLauncher.STOP_GRACE.plusSeconds(5)),
                    "prunectl-relaunch-shutdown"));
            return Optional.of(child.waitFor());
        } catch (IOException e) {
            err.println("prunectl: restart failed (" + e.getMessage() + "); run it again with " + VARIABLE + "="
                    + SAFE_ISA);
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.of(130);
        }
    }
}

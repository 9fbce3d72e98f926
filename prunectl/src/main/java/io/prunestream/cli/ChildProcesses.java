package io.prunestream.cli;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * How prunectl ends the processes it started, and how a process it started ends with it. Stopping
 * sends SIGTERM to every child and its descendants at once (so their graceful shutdowns run side
 * by side, not one after another), waits for all of them until one shared deadline, then sends
 * SIGKILL to whatever is left and waits for that too: when {@link #stop} returns, nothing it was given
 * is still running.
 */
final class ChildProcesses {
    /** System property naming the pid of the process whose end ends this one. */
    static final String PARENT_PID = "prunestream.parent-pid";

    private ChildProcesses() {}

    static void stop(List<Process> children, Duration grace) {
        List<ProcessHandle> grandchildren = new ArrayList<>();
        for (Process child : children) {
            // Before the child goes: once it is gone its own children are re-parented and hard to find.
            grandchildren.addAll(child.descendants().toList());
        }
        grandchildren.forEach(ProcessHandle::destroy);
        children.forEach(Process::destroy);
        long deadline = System.nanoTime() + grace.toNanos();
        List<Process> left = children.stream().filter(p -> !awaitExit(p, deadline)).toList();
        grandchildren.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
        left.forEach(Process::destroyForcibly);
        long killDeadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        left.forEach(p -> awaitExit(p, killDeadline));
    }

    /** The pid to hand to a child so it ends with this process ({@code -Dprunestream.parent-pid=...}). */
    static String parentPidArgument() {
        return "-D" + PARENT_PID + "=" + ProcessHandle.current().pid();
    }

    /**
     * Ends this JVM, with its shutdown hooks, once the process named by {@value #PARENT_PID} is gone,
     * so that a prunectl restarted by another ({@link SafeIsaRelaunch}) never outlives it, whatever signal
     * ended the parent.
     */
    static void exitWithParent() {
        Optional.ofNullable(System.getProperty(PARENT_PID)).map(Long::parseLong).flatMap(ProcessHandle::of)
                .ifPresent(parent -> parent.onExit().thenRun(() -> System.exit(143)));
    }

    /**
     * Waits through the {@link Process} rather than its {@link ProcessHandle}: only the former reaps
     * the child. A handle reports the exit before the reaper has collected it, and a JVM that exits in
     * between leaves a zombie behind, which an init that does not reap (as in some containers) keeps.
     */
    private static boolean awaitExit(Process p, long deadlineNanos) {
        try {
            return p.waitFor(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !p.isAlive();
        }
    }
}

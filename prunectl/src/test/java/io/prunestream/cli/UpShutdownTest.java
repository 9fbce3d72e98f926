package io.prunestream.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code prunectl up} leaves no process behind: the real command in its own JVM, its broker and four
 * service processes, ended the two ways a user's terminal or an orchestrator ends it.
 */
class UpShutdownTest {
    /** Away from `prunectl up`'s 8081-8084 and the end-to-end tests' offset 300. */
    private static final int PORT_OFFSET = 400;

    @TempDir
    Path work;

    private UpProcess output;

    @Test
    void sigtermToUpStopsEveryServiceItStarted() throws Exception {
        Process up = startUp();
        List<ProcessHandle> services = up.descendants().toList();
        assertEquals(ServiceLauncher.SERVICES.size(), services.size(), "services started: " + describe(services));

        up.destroy(); // SIGTERM

        // The services' graceful shutdown (5 s grace) plus the JVMs' own closing, all side by side.
        assertTrue(up.waitFor(60, TimeUnit.SECONDS), "prunectl up did not end after SIGTERM");
        assertNoneAlive(services, 1);
    }

    @Test
    void servicesEndOnTheirOwnWhenUpIsKilledWithoutItsShutdownHook() throws Exception {
        Process up = startUp();
        List<ProcessHandle> services = up.descendants().toList();
        assertEquals(ServiceLauncher.SERVICES.size(), services.size(), "services started: " + describe(services));

        up.destroyForcibly(); // SIGKILL: no hook runs, the services must notice by themselves

        assertTrue(up.waitFor(10, TimeUnit.SECONDS));
        assertNoneAlive(services, 60);
    }

    /** Starts `prunectl up` as its own process and returns once it says it is ready. */
    private Process startUp() throws IOException {
        UpProcess up = UpProcess.start(List.of("--work-dir", work.toString(), "--port-offset", String.valueOf(PORT_OFFSET)),
                java.util.Map.of());
        output = up;
        return up.process();
    }

    /** Waits up to {@code seconds} for every service to be gone, naming the survivors if one is not. */
    private void assertNoneAlive(List<ProcessHandle> services, int seconds) {
        try {
            Awaitility.await().atMost(Duration.ofSeconds(Math.max(1, seconds))).pollInterval(Duration.ofMillis(200))
                    .until(() -> services.stream().noneMatch(UpShutdownTest::running));
        } catch (ConditionTimeoutException e) {
            List<ProcessHandle> alive = services.stream().filter(UpShutdownTest::running).toList();
            alive.forEach(ProcessHandle::destroyForcibly);
            throw new AssertionError("still running: " + describe(alive) + "\nprunectl up said:\n"
                    + String.join("\n", output.output()), e);
        }
    }

    /**
     * Alive and not a zombie. A service whose parent was killed is re-parented to init, and where init
     * does not reap (as in some containers) its exited process stays a zombie, which
     * {@link ProcessHandle#isAlive} still counts; {@code /proc} tells the two apart.
     */
    private static boolean running(ProcessHandle p) {
        if (!p.isAlive()) {
            return false;
        }
        try {
            String stat = Files.readString(Path.of("/proc", String.valueOf(p.pid()), "stat"));
            return stat.charAt(stat.lastIndexOf(')') + 2) != 'Z';
        } catch (IOException e) {
            return false;
        }
    }

    private static String describe(List<ProcessHandle> processes) {
        return processes.stream().map(p -> p.pid() + " " + p.info().commandLine().orElse("?"))
                .collect(Collectors.joining("; "));
    }
}

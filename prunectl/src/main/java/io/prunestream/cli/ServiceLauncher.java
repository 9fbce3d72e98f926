package io.prunestream.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Starts the four services as separate JVMs on this machine (each a Quarkus app in JVM mode), with
 * their logs in one folder, and stops them all, descendants included.
 */
public final class ServiceLauncher implements AutoCloseable {
    /** Service module and HTTP port, in pipeline order. */
    public static final Map<String, Integer> SERVICES = orderedServices();

    private static Map<String, Integer> orderedServices() {
        Map<String, Integer> m = new java.util.LinkedHashMap<>();
        m.put("scorer-service", 8081);
        m.put("pruner-service", 8082);
        m.put("evaluator-service", 8083);
        m.put("finetune-service", 8084);
        return java.util.Collections.unmodifiableMap(m);
    }

    /** A service stops within its own 5 s shutdown grace plus Quarkus' and Kafka's closing. */
    static final Duration STOP_GRACE = Duration.ofSeconds(15);
    private final List<Process> processes = new ArrayList<>();
    private final Map<String, Integer> ports = new java.util.LinkedHashMap<>();

    /** The project folder holding the service modules: from -Dprunestream.home, else the working directory. */
    public static Path projectRoot() {
        String home = System.getProperty("prunestream.home");
        return Path.of(home != null ? home : ".").toAbsolutePath().normalize();
    }

    public static Path serviceJar(Path root, String service) {
        return root.resolve(service).resolve("target/quarkus-app/quarkus-run.jar");
    }

    /** Starts every service; {@code portOffset} shifts the HTTP ports (tests use it to avoid clashes). */
    public void start(Path root, String bootstrap, Path workDir, Path dataDir, Path logDir, int portOffset) {
        try {
            Files.createDirectories(logDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create log folder " + logDir + ": " + e.getMessage(), e);
        }
        for (Map.Entry<String, Integer> s : SERVICES.entrySet()) {
            Path jar = serviceJar(root, s.getKey());
            if (!Files.isRegularFile(jar)) {
                close();
                throw new IllegalStateException(jar + " is missing: build the services first (./mvnw -B install -DskipTests)");
            }
            int port = s.getValue() + portOffset;
            ProcessBuilder pb = new ProcessBuilder(javaBinary(), "-Xmx3g", "-Dai.djl.offline=true",
                    // The service ends with this process even if it is killed without its shutdown hook.
                    ChildProcesses.parentPidArgument(),
                    "-Dquarkus.http.port=" + port, "-jar", jar.toString());
            pb.environment().put("KAFKA_BOOTSTRAP_SERVERS", bootstrap);
            pb.environment().put("PRUNESTREAM_WORK_DIR", workDir.toString());
            // Four engines share few cores: OpenMP threads that spin while waiting starve the others.
            pb.environment().putIfAbsent("OMP_WAIT_POLICY", "PASSIVE");
            if (dataDir != null) {
                pb.environment().put("PRUNESTREAM_DATA", dataDir.toString());
            }
            // The engine settings prunectl itself runs with (ONEDNN_MAX_CPU_ISA is inherited as it is).
            forwardProperty(pb, "prunestream.conv.mode", "PRUNESTREAM_CONV_MODE");
            forwardProperty(pb, "prunestream.engine.fault", "PRUNESTREAM_ENGINE_FAULT");
            pb.redirectErrorStream(true);
            pb.redirectOutput(ProcessBuilder.Redirect.appendTo(logDir.resolve(s.getKey() + ".log").toFile()));
            try {
                processes.add(pb.start());
                ports.put(s.getKey(), port);
            } catch (IOException e) {
                close();
                throw new UncheckedIOException("cannot start " + s.getKey() + ": " + e.getMessage(), e);
            }
        }
    }

    /** Waits until every service reports ready on /q/health/ready, or fails naming the ones that did not. */
    public void awaitReady(Duration timeout, Path logDir) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long end = System.nanoTime() + timeout.toNanos();
        List<String> pending = new ArrayList<>(ports.keySet());
        while (!pending.isEmpty() && System.nanoTime() < end) {
            pending.removeIf(service -> ready(http, ports.get(service)));
            for (int i = 0; i < processes.size(); i++) {
                if (!processes.get(i).isAlive()) {
                    String name = new ArrayList<>(ports.keySet()).get(i);
                    throw new IllegalStateException(name + " exited with code " + processes.get(i).exitValue()
                            + "; see " + logDir.resolve(name + ".log"));
                }
            }
            sleep(500);
        }
        if (!pending.isEmpty()) {
            throw new IllegalStateException("not ready after " + timeout.toSeconds() + " s: " + pending + "; see logs in "
                    + logDir);
        }
    }

    private static boolean ready(HttpClient http, int port) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/q/health/ready"))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    public Map<String, Integer> ports() {
        return ports;
    }

    public List<Process> processes() {
        return processes;
    }

    /**
     * Stops every service: SIGTERM to all at once (each hands its record in progress back to Kafka
     * within its shutdown grace), SIGKILL to any still running after {@link #STOP_GRACE}.
     */
    @Override
    public void close() {
        ChildProcesses.stop(processes, STOP_GRACE);
        processes.clear();
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void forwardProperty(ProcessBuilder pb, String property, String variable) {
        String value = System.getProperty(property);
        if (value != null) {
            pb.environment().put(variable, value);
        }
    }
}

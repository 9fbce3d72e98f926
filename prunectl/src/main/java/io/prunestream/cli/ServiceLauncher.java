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
    /** Replica r of a service listens on its port plus this many times (r - 1). */
    static final int REPLICA_PORT_STEP = 10;
    private final List<Instance> instances = new ArrayList<>();
    private Launch launch;

    /** Where the services keep artifacts when {@code prunectl up --store} says (else their environment, else the work dir). */
    static final String ARTIFACT_STORE_PROPERTY = "prunestream.artifact-store";

    /** One service process: which service, which replica, where it listens and logs. */
    public static final class Instance {
        private final String service;
        private final int replica;
        private final int port;
        private volatile Process process;

        Instance(String service, int replica, int port) {
            this.service = service;
            this.replica = replica;
            this.port = port;
        }

        /** The service name for the first replica (as logs, metrics and tests have always named it), else name-r. */
        public String name() {
            return replica == 1 ? service : service + "-" + replica;
        }

        public String service() {
            return service;
        }

        public int port() {
            return port;
        }

        public Process process() {
            return process;
        }
    }

    /** What every process of this launcher is started with, kept so that a stopped one can start again. */
    private record Launch(Path root, String bootstrap, Path workDir, Path dataDir, Path logDir) {}

    /** The project folder holding the service modules: from -Dprunestream.home, else the working directory. */
    public static Path projectRoot() {
        String home = System.getProperty("prunestream.home");
        return Path.of(home != null ? home : ".").toAbsolutePath().normalize();
    }

    public static Path serviceJar(Path root, String service) {
        return root.resolve(service).resolve("target/quarkus-app/quarkus-run.jar");
    }

    /** Starts one process of every service; {@code portOffset} shifts the HTTP ports (tests use it to avoid clashes). */
    public void start(Path root, String bootstrap, Path workDir, Path dataDir, Path logDir, int portOffset) {
        start(root, bootstrap, workDir, dataDir, logDir, portOffset, 1);
    }

    /**
     * Starts {@code replicas} processes of every service. Replicas of a service share its consumer
     * group, so Kafka spreads the partitions of its topics over them; replica r listens on the
     * service's port + {@value #REPLICA_PORT_STEP} × (r − 1).
     */
    public void start(Path root, String bootstrap, Path workDir, Path dataDir, Path logDir, int portOffset,
            int replicas) {
        if (replicas < 1 || replicas > 9) {
            throw new IllegalArgumentException("replicas must be 1 to 9 (ports step by " + REPLICA_PORT_STEP
                    + " per replica), got " + replicas);
        }
        try {
            Files.createDirectories(logDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create log folder " + logDir + ": " + e.getMessage(), e);
        }
        for (String service : SERVICES.keySet()) {
            Path jar = serviceJar(root, service);
            if (!Files.isRegularFile(jar)) {
                throw new IllegalStateException(jar + " is missing: build the services first (./mvnw -B install -DskipTests)");
            }
        }
        launch = new Launch(root, bootstrap, workDir, dataDir, logDir);
        for (int r = 1; r <= replicas; r++) {
            for (Map.Entry<String, Integer> s : SERVICES.entrySet()) {
                Instance instance = new Instance(s.getKey(), r, s.getValue() + portOffset + REPLICA_PORT_STEP * (r - 1));
                instances.add(instance);
                try {
                    launch(instance);
                } catch (RuntimeException e) {
                    close();
                    throw e;
                }
            }
        }
    }

    private void launch(Instance instance) {
        ProcessBuilder pb = new ProcessBuilder(javaBinary(), "-Xmx3g", "-Dai.djl.offline=true",
                // The service ends with this process even if it is killed without its shutdown hook.
                ChildProcesses.parentPidArgument(),
                // A replica killed without leaving its consumer groups hands its partitions on after 10 s,
                // not Kafka's 45 s (Quarkus gives every channel the kafka.* settings).
                "-Dkafka.session.timeout.ms=10000", "-Dkafka.heartbeat.interval.ms=2000",
                "-Dquarkus.http.port=" + instance.port, "-jar", serviceJar(launch.root(), instance.service).toString());
        pb.environment().put("KAFKA_BOOTSTRAP_SERVERS", launch.bootstrap());
        pb.environment().put("PRUNESTREAM_WORK_DIR", launch.workDir().toString());
        // Four engines share few cores: OpenMP threads that spin while waiting starve the others.
        pb.environment().putIfAbsent("OMP_WAIT_POLICY", "PASSIVE");
        if (launch.dataDir() != null) {
            pb.environment().put("PRUNESTREAM_DATA", launch.dataDir().toString());
        }
        // The engine settings prunectl itself runs with (ONEDNN_MAX_CPU_ISA is inherited as it is).
        forwardProperty(pb, "prunestream.conv.mode", "PRUNESTREAM_CONV_MODE");
        forwardProperty(pb, "prunestream.engine.fault", "PRUNESTREAM_ENGINE_FAULT");
        forwardProperty(pb, ARTIFACT_STORE_PROPERTY, "PRUNESTREAM_ARTIFACT_STORE");
        pb.redirectErrorStream(true);
        pb.redirectOutput(ProcessBuilder.Redirect.appendTo(launch.logDir().resolve(instance.name() + ".log").toFile()));
        try {
            instance.process = pb.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + instance.name() + ": " + e.getMessage(), e);
        }
    }

    /** Waits until every service reports ready on /q/health/ready, or fails naming the ones that did not. */
    public void awaitReady(Duration timeout, Path logDir) {
        awaitReady(instances, timeout);
    }

    private void awaitReady(List<Instance> which, Duration timeout) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long end = System.nanoTime() + timeout.toNanos();
        List<Instance> pending = new ArrayList<>(which);
        while (!pending.isEmpty() && System.nanoTime() < end) {
            pending.removeIf(instance -> ready(http, instance.port));
            for (Instance instance : pending) {
                if (!instance.process.isAlive()) {
                    throw new IllegalStateException(instance.name() + " exited with code " + instance.process.exitValue()
                            + "; see " + launch.logDir().resolve(instance.name() + ".log"));
                }
            }
            sleep(500);
        }
        if (!pending.isEmpty()) {
            throw new IllegalStateException("not ready after " + timeout.toSeconds() + " s: "
                    + pending.stream().map(Instance::name).toList() + "; see logs in " + launch.logDir());
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

    /** HTTP port by process name ({@link Instance#name()}), in start order. */
    public Map<String, Integer> ports() {
        Map<String, Integer> ports = new java.util.LinkedHashMap<>();
        instances.forEach(instance -> ports.put(instance.name(), instance.port));
        return ports;
    }

    /** The processes, in the order of {@link #ports()}. */
    public List<Process> processes() {
        return instances.stream().map(Instance::process).toList();
    }

    public List<Instance> instances() {
        return List.copyOf(instances);
    }

    /**
     * Ends one process: with SIGTERM, the way an orchestrator scales it down (it hands its record in
     * progress back), or with SIGKILL, the way a crash does. Returns once it is gone.
     */
    public void stop(Instance instance, boolean kill) {
        if (kill) {
            instance.process.destroyForcibly();
            ChildProcesses.stop(List.of(instance.process), Duration.ofSeconds(10));
        } else {
            ChildProcesses.stop(List.of(instance.process), STOP_GRACE);
        }
    }

    /** Starts a stopped process again, on its port and log, and waits until it is ready. */
    public void restart(Instance instance, Duration timeout) {
        if (instance.process.isAlive()) {
            throw new IllegalStateException(instance.name() + " is still running");
        }
        launch(instance);
        awaitReady(List.of(instance), timeout);
    }

    /**
     * Stops every service: SIGTERM to all at once (each hands its record in progress back to Kafka
     * within its shutdown grace), SIGKILL to any still running after {@link #STOP_GRACE}.
     */
    @Override
    public void close() {
        ChildProcesses.stop(instances.stream().map(Instance::process).filter(java.util.Objects::nonNull).toList(),
                STOP_GRACE);
        instances.clear();
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

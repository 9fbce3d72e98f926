package io.prunestream.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/** {@code prunectl up} as a user runs it: its own JVM, its own environment, its output kept for assertions. */
final class UpProcess {
    private final Process process;
    private final List<String> seen;

    private UpProcess(Process process, List<String> seen) {
        this.process = process;
        this.seen = seen;
    }

    /** Starts {@code prunectl up} with {@code arguments} and returns once it says it is ready. */
    static UpProcess start(List<String> arguments, Map<String, String> environment) throws IOException {
        Path root = EndToEndPipeline.builtServicesRoot();
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dai.djl.offline=true", "-Dprunestream.home=" + root, "-cp", System.getProperty("java.class.path"),
                PrunectlMain.class.getName(), "up"));
        command.addAll(arguments);
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().putAll(environment);
        pb.redirectErrorStream(true);
        Process up = pb.start();
        List<String> seen = new CopyOnWriteArrayList<>();
        BufferedReader lines = new BufferedReader(new InputStreamReader(up.getInputStream(), StandardCharsets.UTF_8));
        CompletableFuture<Boolean> ready = CompletableFuture.supplyAsync(() -> {
            try {
                for (String line; (line = lines.readLine()) != null; ) {
                    seen.add(line);
                    if (line.startsWith("ready:")) {
                        return true;
                    }
                }
            } catch (IOException e) {
                return false;
            }
            return false;
        });
        try {
            if (!ready.get(4, TimeUnit.MINUTES)) {
                throw new AssertionError("prunectl up ended before it was ready: " + seen);
            }
        } catch (Exception e) {
            up.destroyForcibly();
            throw new AssertionError("prunectl up never got ready: " + seen, e);
        }
        // Keep reading its output, so it never blocks on a full pipe, and a failure can show it.
        CompletableFuture.runAsync(() -> lines.lines().forEach(seen::add));
        return new UpProcess(up, seen);
    }

    Process process() {
        return process;
    }

    /** Everything it printed so far. */
    List<String> output() {
        return List.copyOf(seen);
    }

    /** The broker address from its "ready: Kafka at HOST:PORT, ..." line. */
    String bootstrap() {
        String ready = seen.stream().filter(l -> l.startsWith("ready: Kafka at ")).findFirst().orElseThrow();
        String rest = ready.substring("ready: Kafka at ".length());
        return rest.substring(0, rest.indexOf(','));
    }
}

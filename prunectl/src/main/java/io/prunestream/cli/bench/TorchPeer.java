package io.prunestream.cli.bench;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * PyTorch's side of the peer benchmark: a Python interpreter that can import torch, running the
 * script kept beside this class ({@value #SCRIPT}) once per round, each time in a new process.
 */
public final class TorchPeer {
    static final String SCRIPT = "peer_torch.py";
    /** How a user gets a peer; said wherever one is missing. */
    public static final String INSTALL_HINT = "install PyTorch with `apt-get install python3-torch libopenblas0` "
            + "(Debian; for /usr/bin/python3) or `pip install torch`, or name an interpreter that has it with `--python PATH`";
    /** Tried in this order when no interpreter is named: Debian's torch is installed for the system's python3 only. */
    public static final List<String> DEFAULT_PYTHONS = List.of("python3", "/usr/bin/python3");
    private static final Duration PROBE_TIMEOUT = Duration.ofMinutes(2);
    private static final Duration ROUND_TIMEOUT = Duration.ofMinutes(30);
    private static final int NO_TORCH = 3;
    private static final ObjectMapper JSON = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    /** What the script printed: versions, the pools it ran with, the check and the round's figures. */
    public record Figures(String torch, String python, String executable, int threads, int interopThreads,
            boolean mkldnn, List<String> blas, float[] checkLogits, Map<Integer, Double> latencyMs,
            double trainImagesPerSecond) {
        PeerRound round() {
            return new PeerRound(trainImagesPerSecond, latencyMs);
        }
    }

    /** No interpreter with torch was found; the message says what was tried and how to get one. */
    public static final class UnavailableException extends RuntimeException {
        UnavailableException(String message) {
            super(message);
        }
    }

    /**
     * What the peer's thread pools are sized by; they read it when their library loads, so only the
     * environment can set it. torch's OpenMP pool gets {@code threads}. OpenBLAS (Debian's torch calls
     * the system's BLAS) gets one: its pthread pool beside torch's busy OpenMP threads oversubscribes
     * the cores, which made ResNet-20 at batch 1 twenty times slower here (3 ms against 60-90 ms with
     * two of each on two cores), while torch parallelises those convolutions itself.
     */
    public static Map<String, String> environment(int threads) {
        return Map.of("OMP_NUM_THREADS", Integer.toString(threads), "OPENBLAS_NUM_THREADS", "1");
    }

    private final String python;
    private final Path script;
    private final int threads;
    private final Path workDir;

    private TorchPeer(String python, Path script, int threads, Path workDir) {
        this.python = python;
        this.script = script;
        this.threads = threads;
        this.workDir = workDir;
    }

    /**
     * The first of {@code pythons} that imports torch, running with {@code threads} threads in every
     * pool; the script is extracted into {@code workDir}.
     *
     * @throws UnavailableException naming each interpreter tried and why it would not do
     */
    public static TorchPeer locate(List<String> pythons, int threads, Path workDir) {
        Path script = extractScript(workDir);
        List<String> refusals = new ArrayList<>();
        for (String python : new LinkedHashSet<>(pythons)) {
            TorchPeer peer = new TorchPeer(python, script, threads, workDir);
            Run probe = peer.run(List.of("--probe"), PROBE_TIMEOUT);
            if (probe.exit() == 0) {
                return peer;
            }
            refusals.add(python + ": " + (probe.exit() == NO_TORCH ? probe.lastErrorLine() : probe.describe()));
        }
        throw new UnavailableException("no Python with torch found (" + String.join("; ", refusals) + ")");
    }

    public String python() {
        return python;
    }

    /** The logits of the check input, built from {@code packageDir}, with nothing timed. */
    public Figures check(Path packageDir) {
        return figures(List.of("--check-only", "--model", packageDir.toString()));
    }

    /**
     * One round of measurements, in a new process: training on the package in {@code packageDir},
     * inference on its inference form in {@code inferenceDir} (BN folded, what PruneStream times too).
     */
    public Figures round(Path packageDir, Path inferenceDir, PeerBudget budget) {
        return figures(List.of("--model", packageDir.toString(), "--inference-model", inferenceDir.toString(),
                "--train-batches", Integer.toString(budget.trainBatches()),
                "--train-batch-size", Integer.toString(PeerBudget.TRAIN_BATCH_SIZE),
                "--learning-rate", Double.toString(PeerBudget.LEARNING_RATE),
                "--momentum", Double.toString(PeerBudget.MOMENTUM),
                "--weight-decay", Double.toString(PeerBudget.WEIGHT_DECAY),
                "--latency-runs", Integer.toString(budget.latencyRuns()),
                "--warmup-runs", Integer.toString(PeerBudget.WARMUP_RUNS),
                "--batch-sizes", PeerBudget.BATCH_SIZES.stream().map(String::valueOf).collect(Collectors.joining(","))));
    }

    private Figures figures(List<String> args) {
        Run run = run(args, ROUND_TIMEOUT);
        if (run.exit() != 0) {
            throw new IllegalStateException("the PyTorch peer failed (" + python + " " + script.getFileName() + "): "
                    + run.describe());
        }
        String[] lines = run.stdout().strip().split("\n");
        try {
            return JSON.readValue(lines[lines.length - 1], Figures.class);
        } catch (IOException e) {
            throw new IllegalStateException("the PyTorch peer printed no figures line, but: " + run.stdout().strip(), e);
        }
    }

    /** What a finished process left: exit code (-1 when it never started or was stopped) and both streams. */
    record Run(int exit, String stdout, String stderr) {
        String lastErrorLine() {
            String[] lines = stderr.strip().split("\n");
            return lines[lines.length - 1];
        }

        String describe() {
            String tail = stderr.strip();
            if (tail.length() > 2000) {
                tail = "..." + tail.substring(tail.length() - 2000);
            }
            return (exit < 0 ? "" : "exit code " + exit + ": ") + (tail.isEmpty() ? "(nothing on stderr)" : tail);
        }
    }

    private Run run(List<String> args, Duration timeout) {
        List<String> command = new ArrayList<>(List.of(python, script.toString()));
        command.addAll(args);
        command.add("--threads");
        command.add(Integer.toString(threads));
        Path out = workDir.resolve("peer.out");
        Path err = workDir.resolve("peer.err");
        ProcessBuilder pb = new ProcessBuilder(command).directory(workDir.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.environment().putAll(environment(threads));
        try {
            Process p;
            try {
                p = pb.start();
            } catch (IOException e) {
                // ProcessBuilder's message repeats the command and the folder; the OS's reason is what tells.
                String message = String.valueOf(e.getMessage());
                int reason = message.indexOf("error=");
                return new Run(-1, "", "cannot run it (" + (reason >= 0 ? message.substring(reason) : message) + ")");
            }
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly().waitFor();
                return new Run(-1, Files.readString(out), "stopped after " + timeout.toMinutes() + " minutes: "
                        + Files.readString(err));
            }
            return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read what " + python + " printed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the PyTorch peer ran", e);
        }
    }

    /** The script lives in the jar; Python needs it as a file. */
    private static Path extractScript(Path workDir) {
        Path target = workDir.resolve(SCRIPT);
        try (InputStream in = TorchPeer.class.getResourceAsStream(SCRIPT)) {
            if (in == null) {
                throw new IllegalStateException(SCRIPT + " is missing from prunectl's jar (resource "
                        + TorchPeer.class.getPackageName().replace('.', '/') + "/" + SCRIPT + ")");
            }
            Files.copy(in, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target + ": " + e.getMessage(), e);
        }
    }
}

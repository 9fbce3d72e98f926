package io.prunestream.cli.bench;

import io.prunestream.core.cost.CostModel;
import io.prunestream.core.cost.LatencyMeter;
import io.prunestream.core.model.ModelPackage;
import io.prunestream.core.exec.BatchNormFolding;
import io.prunestream.core.model.PackageIO;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * PruneStream against what a user would run instead, PyTorch itself, on the same CPU and the same
 * package: training throughput and inference latency, in rounds that alternate between the two
 * (PruneStream, then PyTorch in a new Python process, then PruneStream again ...), so that a busy
 * moment of a shared machine lands on both sides rather than on whichever ran then. Without a Python
 * that imports torch the PruneStream side is still measured, and the result says why the other is not.
 */
public final class PeerBenchmark {
    public static final String NAME = "peer";
    /**
     * Largest difference allowed between the two sides' logits of the check input, relative to the
     * largest logit: different kernels round differently, a different network differs by far more.
     */
    static final double LOGITS_TOLERANCE = 1e-3;

    /**
     * @param model the package's name
     * @param parameters trainable and running parameters of the package
     * @param macs multiply-accumulates per image
     * @param threads intra-op threads both sides were given
     * @param budget what each side measured per round
     * @param prunestream one entry per round
     * @param pytorch one entry per round; empty when the peer was skipped
     * @param peer the peer's versions and pools (from its last round); null when skipped
     * @param logitsDifference largest difference of the check logits, relative; NaN when skipped
     * @param skipped why PyTorch was not measured; null when it was
     */
    public record Result(String model, long parameters, long macs, int threads, PeerBudget budget,
            List<PeerRound> prunestream, List<PeerRound> pytorch, TorchPeer.Figures peer, double logitsDifference,
            String skipped) {
        public Result {
            prunestream = List.copyOf(prunestream);
            pytorch = List.copyOf(pytorch);
        }

        public boolean peerMeasured() {
            return skipped == null;
        }
    }

    private PeerBenchmark() {}

    /**
     * @param pythons interpreters to try for the peer, in order; the first that imports torch is used
     * @param threads intra-op threads of this process's engine, already fixed; the peer gets the same
     * @param log progress, one line per round
     */
    public static Result run(ModelPackage model, PeerBudget budget, List<String> pythons, int threads,
            PrintWriter log) {
        try (ScratchFolder work = ScratchFolder.create("prunestream-bench-peer");
                PruneStreamSide prunestream = new PruneStreamSide(model, budget)) {
            Path packageDir = work.path().resolve("package");
            PackageIO.save(model, packageDir);
            // Both sides time inference on the same folded network; training needs the BN layers.
            Path inferenceDir = work.path().resolve("inference");
            PackageIO.save(BatchNormFolding.fold(model), inferenceDir);
            TorchPeer peer = null;
            String skipped = null;
            double difference = Double.NaN;
            try {
                peer = TorchPeer.locate(pythons, threads, work.path());
                difference = checkSameNetwork(prunestream.checkLogits(), peer.check(packageDir), peer.python());
                log.printf(Locale.ROOT, "PyTorch peer: %s, logits agree with PruneStream's to %.1e%n", peer.python(),
                        difference);
            } catch (TorchPeer.UnavailableException e) {
                skipped = e.getMessage();
                log.println("PyTorch skipped: " + skipped);
            }
            // Untimed: the JVM compiles the Java side of a forward and a training step over the first
            // round (it read 30-60% slower than the next ones here); every Python round starts a new
            // interpreter, which has nothing to compile, and warms up within the round like this side does.
            log.println("warm-up round of PruneStream (not counted) ...");
            log.flush();
            prunestream.measureRound();
            List<PeerRound> ours = new ArrayList<>();
            List<PeerRound> theirs = new ArrayList<>();
            TorchPeer.Figures last = null;
            for (int r = 1; r <= budget.rounds(); r++) {
                ours.add(prunestream.measureRound());
                String line = String.format(Locale.ROOT, "round %d/%d: PruneStream %s", r, budget.rounds(),
                        describe(ours.get(ours.size() - 1)));
                if (peer != null) {
                    last = peer.round(packageDir, inferenceDir, budget);
                    theirs.add(last.round());
                    line += " | PyTorch " + describe(last.round());
                }
                log.println(line);
                log.flush();
            }
            return new Result(model.spec().name(), model.parameterCount(), CostModel.of(model.spec()).macs(), threads,
                    budget, ours, theirs, last, difference, skipped);
        }
    }

    /**
     * The peer builds its network from the package; its logits must be PruneStream's, or the figures
     * would compare two different computations.
     *
     * @return the largest difference relative to the largest logit
     */
    static double checkSameNetwork(float[] ours, TorchPeer.Figures theirs, String python) {
        float[] peer = theirs.checkLogits();
        if (peer == null || peer.length != ours.length) {
            throw new IllegalStateException("the PyTorch peer (" + python + ") returned "
                    + (peer == null ? "no" : Integer.toString(peer.length)) + " check logits, PruneStream "
                    + ours.length);
        }
        double scale = 1e-6;
        double worst = 0;
        for (int i = 0; i < ours.length; i++) {
            scale = Math.max(scale, Math.abs(ours[i]));
            worst = Math.max(worst, Math.abs(ours[i] - peer[i]));
        }
        double relative = worst / scale;
        if (!(relative <= LOGITS_TOLERANCE)) {
            throw new IllegalStateException(String.format(Locale.ROOT, "the PyTorch peer's network computes other "
                    + "logits than PruneStream's from the same package (largest difference %.3g of %.3g): the "
                    + "figures would not compare the same network", worst, scale));
        }
        return relative;
    }

    private static String describe(PeerRound round) {
        return String.format(Locale.ROOT, "train %.0f img/s, %s", round.trainImagesPerSecond(),
                round.latencyMs().entrySet().stream()
                        .map(e -> "batch " + e.getKey() + " " + LatencyMeter.Latency.milliseconds(e.getValue()) + " ms")
                        .collect(Collectors.joining(", ")));
    }
}

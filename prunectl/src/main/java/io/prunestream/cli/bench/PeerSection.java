package io.prunestream.cli.bench;

import io.prunestream.core.cost.LatencyMeter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;
import java.util.function.DoubleFunction;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;

/** The Markdown of {@code docs/BENCHMARKS.md}'s {@code peer} section, from a {@link PeerBenchmark.Result}. */
public final class PeerSection {
    static final String TITLE = "Peer: PruneStream against PyTorch on the same CPU";
    static final String NOT_MEASURED = "not measured";

    /** One compared figure: how to read it from a round, and which way is better. */
    record Metric(String label, boolean higherIsBetter, ToDoubleFunction<PeerRound> value, DoubleFunction<String> format) {
        String format(double v) {
            return format.apply(v);
        }

        String cell(RoundSummary s) {
            return String.format(Locale.ROOT, "%s ±%.0f%%", format(s.median()), 100 * s.spread());
        }

        /** "1.25× faster" / "1.25× slower": the ratio turned into a speed, whichever way the unit runs. */
        String verdict(double ratio) {
            double speed = higherIsBetter ? ratio : 1 / ratio;
            return speed >= 1 ? String.format(Locale.ROOT, "%.2f× faster", speed)
                    : String.format(Locale.ROOT, "%.2f× slower", 1 / speed);
        }
    }

    private PeerSection() {}

    static List<Metric> metrics() {
        List<Metric> m = new ArrayList<>();
        m.add(new Metric("training, batch " + PeerBudget.TRAIN_BATCH_SIZE, true, PeerRound::trainImagesPerSecond,
                v -> String.format(Locale.ROOT, "%.0f img/s", v)));
        for (int b : PeerBudget.BATCH_SIZES) {
            m.add(new Metric("inference, batch " + b, false, r -> r.latencyMs(b),
                    v -> LatencyMeter.Latency.milliseconds(v) + " ms"));
        }
        return m;
    }

    /** The section: header (machine, command, date, engine threads) and body. */
    public static String render(PeerBenchmark.Result result, String command) {
        return BenchmarkDoc.header(TITLE, command) + body(result);
    }

    /** Everything below the header; needs no engine, so it can be checked on made-up figures. */
    static String body(PeerBenchmark.Result r) {
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "- Model: %s, %.2f M parameters, %.1f M MACs per image, CPU, %d intra-op "
                + "thread%s on both sides%n", r.model(), r.parameters() / 1e6, r.macs() / 1e6, r.threads(),
                r.threads() == 1 ? "" : "s"));
        s.append(peerLine(r));
        s.append('\n').append(method(r)).append("\n\n");
        s.append(summaryTable(r)).append('\n');
        s.append("The ratio is PruneStream's median over PyTorch's: above 1 is better for PruneStream in training "
                + "(images per second), below 1 in inference (milliseconds); the last column says it as a speed. "
                + "± is half the p10–p90 range of the round figures as a share of the median.\n\n");
        s.append(roundsTable(r));
        return s.toString();
    }

    private static String peerLine(PeerBenchmark.Result r) {
        if (!r.peerMeasured()) {
            return "- Peer, PyTorch in Python: **" + NOT_MEASURED + "**: " + r.skipped() + ". To compare, " + TorchPeer.INSTALL_HINT
                    + ", then run the command again. Only PruneStream's figures are below.\n";
        }
        TorchPeer.Figures p = r.peer();
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "- Peer, PyTorch in Python: torch %s, Python %s (`%s`), %d "
                + "intra-op thread%s, %d inter-op thread%s, oneDNN %s, BLAS %s; environment %s%n", p.torch(), p.python(), p.executable(), p.threads(),
                p.threads() == 1 ? "" : "s", p.interopThreads(), p.interopThreads() == 1 ? "" : "s",
                p.mkldnn() ? "available" : "not available", p.blas().isEmpty() ? "unknown" : String.join(", ", p.blas()),
                new TreeMap<>(TorchPeer.environment(r.threads())).entrySet().stream()
                        .map(e -> "`" + e.getKey() + "=" + e.getValue() + "`").collect(Collectors.joining(" "))));
        s.append(String.format(Locale.ROOT, "- Same network: PyTorch builds it from the same package (`model.json` and "
                + "`weights.safetensors`, read by `%s` into stock `nn` modules); its logits of a fixed input differ from "
                + "PruneStream's by at most %.1e of the largest%n", TorchPeer.SCRIPT, r.logitsDifference()));
        if (p.threads() != r.threads()) {
            s.append("- **Threads differ**: PyTorch reports ").append(p.threads()).append(" intra-op threads, "
                    + "PruneStream was given ").append(r.threads()).append('\n');
        }
        if (referenceBlas(p.blas())) {
            s.append("- **PyTorch ran on the reference BLAS** (Debian's `libblas3`): the convolutions oneDNN does not "
                    + "take (small batches) are many times slower than with OpenBLAS, which flatters PruneStream; "
                    + "`apt-get install libopenblas0` switches Debian's `libblas.so.3` to OpenBLAS\n");
        }
        return s.toString();
    }

    /** Debian's netlib BLAS lives under {@code .../blas/}; OpenBLAS, BLIS and MKL under their own folders. */
    static boolean referenceBlas(List<String> blas) {
        return !blas.isEmpty() && blas.stream().allMatch(path -> path.matches(".*/blas/lib[^/]*blas\\.so.*"));
    }

    private static String method(PeerBenchmark.Result r) {
        PeerBudget b = r.budget();
        String rounds = r.peerMeasured()
                ? plural(b.rounds(), "round") + " alternating between the two sides: PruneStream, then PyTorch in a new "
                        + "Python process, then PruneStream again, so that a busy moment of the machine lands on both"
                : plural(b.rounds(), "round") + " of PruneStream alone (with PyTorch, its rounds alternate with these)";
        return String.format(Locale.ROOT, "%s. In each round each side times inference (%s per batch size in a "
                + "shuffled order after %s, median, both on the network with each BN folded into its conv; PruneStream "
                + "through `LatencyMeter`, PyTorch in eval mode under `inference_mode`) and training on random images and labels (SGD with momentum %.1f, weight decay "
                + "%.0e, rate %.2f, cross-entropy: %s of batch %d untimed, then as many timed; PruneStream through "
                + "`ModelTrainer`, whose second epoch is the timed pass). PruneStream runs one more round first, not "
                + "counted, for the JVM to compile its side. Each figure below is the median over the rounds. Both sides run libtorch's kernels, PruneStream through DJL in the version the machine line "
                + "names, PyTorch in its own: the figures compare what a user gets from each install.", rounds, plural(b.latencyRuns(), "run"), plural(PeerBudget.WARMUP_RUNS, "warm-up run"),
                PeerBudget.MOMENTUM, PeerBudget.WEIGHT_DECAY, PeerBudget.LEARNING_RATE, plural(b.trainBatches(), "step"),
                PeerBudget.TRAIN_BATCH_SIZE);
    }

    private static String plural(int n, String word) {
        return n + " " + word + (n == 1 ? "" : "s");
    }

    private static String summaryTable(PeerBenchmark.Result r) {
        StringBuilder s = new StringBuilder("| measure | better | PruneStream | PyTorch | PruneStream / PyTorch | "
                + "PruneStream is |\n|---|---|---|---|---|---|\n");
        for (Metric m : metrics()) {
            RoundSummary ours = RoundSummary.over(r.prunestream(), m.value());
            s.append("| ").append(m.label()).append(" | ").append(m.higherIsBetter() ? "higher" : "lower").append(" | ")
                    .append(m.cell(ours)).append(" | ");
            if (r.peerMeasured()) {
                RoundSummary theirs = RoundSummary.over(r.pytorch(), m.value());
                double ratio = ours.median() / theirs.median();
                s.append(m.cell(theirs)).append(String.format(Locale.ROOT, " | %.2f× | ", ratio))
                        .append(m.verdict(ratio)).append(" |\n");
            } else {
                s.append(NOT_MEASURED).append(" | — | — |\n");
            }
        }
        return s.toString();
    }

    private static String roundsTable(PeerBenchmark.Result r) {
        List<Metric> metrics = metrics();
        StringBuilder s = new StringBuilder("Every round:\n\n| round |");
        StringBuilder rule = new StringBuilder("|---|");
        for (Metric m : metrics) {
            s.append(' ').append(m.label()).append(": PruneStream |");
            rule.append("---|");
            if (r.peerMeasured()) {
                s.append(" PyTorch |");
                rule.append("---|");
            }
        }
        s.append('\n').append(rule).append('\n');
        for (int i = 0; i < r.prunestream().size(); i++) {
            s.append("| ").append(i + 1).append(" |");
            for (Metric m : metrics) {
                s.append(' ').append(m.format(m.value().applyAsDouble(r.prunestream().get(i)))).append(" |");
                if (r.peerMeasured()) {
                    s.append(' ').append(m.format(m.value().applyAsDouble(r.pytorch().get(i)))).append(" |");
                }
            }
            s.append('\n');
        }
        return s.toString();
    }
}

package io.prunestream.tf.bench;

import ai.djl.engine.Engine;
import io.prunestream.core.cost.CostModel;
import io.prunestream.core.cost.LatencyMeter;
import io.prunestream.core.cost.PackageForward;
import io.prunestream.core.cost.TimedForward;
import io.prunestream.core.data.IdxReader;
import io.prunestream.core.data.IdxImages;
import io.prunestream.core.data.ImageDataset;
import io.prunestream.core.data.Normalization;
import io.prunestream.core.model.InputSpec;
import io.prunestream.core.model.ModelPackage;
import io.prunestream.tf.ExportOptions;
import io.prunestream.tf.ImportOptions;
import io.prunestream.core.data.InputTransform;
import io.prunestream.tf.SavedModelImporter;
import io.prunestream.tf.TfRuntime;
import io.prunestream.tf.export.SavedModelExporter;
import io.prunestream.tf.parity.ParityCheck;
import io.prunestream.tf.parity.ParityReport;
import io.prunestream.tf.parity.SavedModelRunner;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The TensorFlow bridge on the third-party Keras MNIST CNN: import and export times, parity and
 * accuracy on the 10k digits, and inference latency of the original and the 50%-FLOPs pruned model
 * (L1 scores, uniform allocation, no fine-tuning) on DJL's TensorFlow engine and on PyTorch.
 * Returns the markdown body of the benchmark section.
 */
public final class TfBenchmark {
    private static final int REPEATS = 5;
    private static final int WARMUP = 5;
    private static final int ROUNDS = 20;
    private static final List<Integer> BATCHES = List.of(1, 256);

    private final Path savedModel;
    private final Path digits;
    private final Path work;
    private final PrintWriter log;

    /**
     * @param savedModel the Keras SavedModel (keras-mnist-cnn)
     * @param digits folder with the mnist-10k IDX files
     * @param work scratch folder for exported SavedModels
     */
    public TfBenchmark(Path savedModel, Path digits, Path work, PrintWriter log) {
        this.savedModel = savedModel;
        this.digits = digits;
        this.work = work;
        this.log = log;
    }

    public String run() {
        long t0 = System.nanoTime();
        TfRuntime.ensureLoaded();
        double loadS = (System.nanoTime() - t0) / 1e9;
        ImportOptions options = ImportOptions.defaults().withInputTransform(InputTransform.COLUMN_L2);
        ModelPackage original = SavedModelImporter.importModel(savedModel, options);
        double importMs = medianMs(() -> SavedModelImporter.importModel(savedModel, options));
        ModelPackage pruned = prune(original);
        Path originalOut = work.resolve("original");
        Path prunedOut = work.resolve("pruned");
        double exportMs = exportMs(original, originalOut);
        double exportPrunedMs = exportMs(pruned, prunedOut);
        log.println("import " + importMs + " ms, export " + exportMs + " / " + exportPrunedMs + " ms");

        ImageDataset data = digits();
        ParityReport keras = ParityCheck.run(original, savedModel, data, 500);
        ParityReport exported = ParityCheck.run(original, originalOut, data, 500);
        ParityReport prunedReport = ParityCheck.run(pruned, prunedOut, data, 500);
        ModelPackage untransformed = original.withInfo(Map.of(InputTransform.INFO_KEY,
                InputTransform.NONE.key()));
        ParityReport raw = ParityCheck.run(untransformed, savedModel, data, 500);
        log.println("parity done");

        StringBuilder md = new StringBuilder();
        md.append(String.format(Locale.ROOT, "%nModel: `keras-mnist-cnn` (third-party Keras SavedModel, TF %s), "
                + "%s MACs and %,d parameters per image; pruned to %.1f%% of the MACs (%s MACs, %,d parameters) with L1 "
                + "scores and uniform allocation, no fine-tuning. Data: the 10,000 `mnist-10k` digits (from MNIST's "
                + "training split), column-L2 normalised as the model was trained. Import and export times are medians "
                + "of %d runs after warm-up.%n%n", original.spec().info().get("tf.version"),
                count(CostModel.of(original.graph()).macs()), original.parameterCount(),
                100.0 * CostModel.of(pruned.graph()).macs() / CostModel.of(original.graph()).macs(),
                count(CostModel.of(pruned.graph()).macs()), pruned.parameterCount(), REPEATS));
        md.append("### Import and export\n\n| step | time |\n|---|---|\n");
        md.append(String.format(Locale.ROOT, "| load TensorFlow natives (once per JVM) | %.2f s |%n", loadS));
        md.append(String.format(Locale.ROOT, "| import SavedModel → package (allow-list check, conversion, variables "
                + "via the TF runtime) | %.0f ms |%n", importMs));
        md.append(String.format(Locale.ROOT, "| export package → SavedModel | %.0f ms |%n", exportMs));
        md.append(String.format(Locale.ROOT, "| export pruned package → SavedModel | %.0f ms |%n%n", exportPrunedMs));
        md.append("### Parity and accuracy (10,000 digits)\n\n| compared | max abs diff of softmax outputs "
                + "| accuracy PyTorch / TensorFlow | differing predictions |\n|---|---|---|---|\n");
        row(md, "imported package vs original SavedModel", keras);
        row(md, "imported package vs its export", exported);
        row(md, "pruned package vs its export", prunedReport);
        md.append(String.format(Locale.ROOT, "%nFed plain [0, 1] pixels instead (what PruneStream's pipeline does until "
                + "it applies `input_transform`), the imported model scores %.2f%% instead of %.2f%%.%n%n",
                100 * raw.packageAccuracy(), 100 * keras.packageAccuracy()));
        String loadBefore = loadAverage();
        md.append(latencySection(original, pruned, originalOut, prunedOut));
        md.append(String.format(Locale.ROOT, "%nLoad average (1 min) before and after the latency runs: %s and %s on %d "
                + "cores; other processes on the machine show up as outliers in these medians.%n", loadBefore,
                loadAverage(), Runtime.getRuntime().availableProcessors()));
        return md.toString();
    }

    private ModelPackage prune(ModelPackage pkg) {
        BaselinePruning.Result r = BaselinePruning.toFlops(pkg, 0.5);
        log.println("pruned: " + r.allocation().summary());
        return r.pruned();
    }

    private double exportMs(ModelPackage pkg, Path keep) {
        double ms = medianMs(() -> {
            Path dir = work.resolve("export-" + System.nanoTime());
            SavedModelExporter.export(pkg, dir, ExportOptions.defaults());
            return dir;
        });
        SavedModelExporter.export(pkg, keep, ExportOptions.defaults());
        return ms;
    }

    /**
     * Both engines' models opened first and timed in the same interleaved rounds: timed one after the
     * other, a busy moment of the machine would land on one engine's figures only.
     */
    private String latencySection(ModelPackage original, ModelPackage pruned, Path originalOut, Path prunedOut) {
        Engine torch = Engine.getEngine("PyTorch");
        LatencyMeter meter = new LatencyMeter(WARMUP, ROUNDS, torch.defaultDevice());
        InputSpec in = original.spec().input();
        Map<String, TimedForward> forwards = new LinkedHashMap<>();
        Map<String, List<LatencyMeter.Latency>> measured;
        try {
            forwards.put("original (Keras SavedModel)", SavedModelForward.open(savedModel, in));
            forwards.put("original (exported)", SavedModelForward.open(originalOut, in));
            forwards.put("original (package)", PackageForward.open(original, torch.defaultDevice()));
            forwards.put("pruned 50% (exported)", SavedModelForward.open(prunedOut, in));
            forwards.put("pruned 50% (package)", PackageForward.open(pruned, torch.defaultDevice()));
            measured = meter.measureOpened(forwards, BATCHES);
        } finally {
            forwards.values().forEach(TimedForward::close);
        }
        StringBuilder md = new StringBuilder(String.format(Locale.ROOT, "### Inference latency (per batch)%n%n"
                + "Latency: %s (TensorFlow keeps its own thread pools).%n%n"
                + "| model | engine | batch 1 | batch 256 | images/s at 256 |%n|---|---|---|---|---|%n",
                meter.describe(BATCHES)));
        String tf = "TensorFlow " + Engine.getEngine(TfRuntime.ENGINE).getVersion();
        String pt = "PyTorch " + torch.getVersion();
        measured.forEach((label, l) -> md.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %.0f |%n", label,
                forwards.get(label) instanceof SavedModelForward ? tf : pt, l.get(0).display(), l.get(1).display(),
                BATCHES.get(1) * 1000.0 / l.get(1).medianMs())));
        return md.toString();
    }

    private static void row(StringBuilder md, String label, ParityReport r) {
        md.append(String.format(Locale.ROOT, "| %s | %.2g | %.2f%% / %.2f%% | %d |%n", label, r.maxAbsDiff(),
                100 * r.packageAccuracy(), 100 * r.savedModelAccuracy(), r.samples() - r.samePredictions()));
    }

    private ImageDataset digits() {
        try {
            IdxImages raw = IdxReader.readImages(digits.resolve("images-idx3-ubyte.gz"));
            int[] labels = IdxReader.readLabels(digits.resolve("labels-idx1-ubyte.gz"));
            return new ImageDataset(Normalization.UNIT_RANGE.apply(raw.pixels()), labels, 1, raw.rows(), raw.columns(),
                    10);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the digits in " + digits + ": " + e.getMessage(), e);
        }
    }

    private static double medianMs(Supplier<?> step) {
        double[] ms = new double[REPEATS];
        step.get();
        for (int i = 0; i < REPEATS; i++) {
            long start = System.nanoTime();
            step.get();
            ms[i] = (System.nanoTime() - start) / 1e6;
        }
        Arrays.sort(ms);
        return ms[REPEATS / 2];
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static String count(long n) {
        return n >= 1_000_000 ? String.format(Locale.ROOT, "%.2fM", n / 1e6) : String.format(Locale.ROOT, "%.1fk", n / 1e3);
    }
}

package io.prunestream.cli.bench;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.prunestream.core.data.DataSplits;
import io.prunestream.core.model.ModelPackage;
import io.prunestream.core.testing.RequiredData;
import io.prunestream.core.train.ProgressListener;
import io.prunestream.core.zoo.ModelZoo;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The training benchmark's code path with tiny settings (one batch per epoch); its numbers mean nothing.
 * It takes minutes on two cores (four ResNet-20 runs, latency measurements), so it runs only when asked:
 * {@code -Dprunestream.benchSmoke=true}.
 */
class TrainingBenchmarkSmokeTest {
    @TempDir
    Path dir;

    @Test
    void everyMethodProducesARowAndTheChartsAreWritten() throws Exception {
        assumeTrue(Boolean.getBoolean("prunestream.benchSmoke"),
                "benchmark smoke run takes minutes: enable with -Dprunestream.benchSmoke=true");
        Path fashionMnist = RequiredData.fashionMnist();
        ModelPackage model = ModelZoo.create("resnet20", 1);
        DataSplits data = DataSplits.load(fashionMnist, model.spec().input(), 1,
                new DataSplits.Limits(256, 64, 64));
        String section = new TrainingBenchmark(2, data, new PrintWriter(new StringWriter()), ProgressListener.NONE,
                OptionalInt.of(1), dir, List.of(0.05, 50.0)).seeds(2).run(model, "smoke");
        for (String method : new String[] {"l1 (global)", "eagleeye", "slimming", "gal"}) {
            assertTrue(section.contains("| " + method), method + " row missing:\n" + section);
        }
        assertTrue(section.contains("% ± "), "two seeds give a mean and a spread:\n" + section);
        // one line per lambda in the GAL table, the large one cutting more than the small one
        assertTrue(section.contains("| 0.05 | ") && section.contains("| 50.0 | "), "GAL lambda rows missing:\n" + section);
        assertTrue(section.contains("### Network slimming: what the sparsity phase did") && section.contains("| after |"),
                "slimming's γ histogram missing:\n" + section);
        assertTrue(Files.isRegularFile(dir.resolve("bench-training-loss.png")));
        assertTrue(Files.isRegularFile(dir.resolve("bench-training-gal-sparsity.png")));
    }

    @Test
    void accuracyOverSeedsIsShownAsMeanAndSampleStandardDeviation() {
        assertTrue(BenchmarkDoc.meanAndSpread(new double[] {0.90, 0.92, 0.94}).equals("92.00% ± 2.00"),
                BenchmarkDoc.meanAndSpread(new double[] {0.90, 0.92, 0.94}));
        assertTrue(BenchmarkDoc.meanAndSpread(new double[] {0.9}).equals("90.00%"));
    }

    @Test
    void gammaHistogramCountsEveryBnScaleByMagnitude() {
        ModelPackage model = ModelZoo.create("resnet20", 1);
        java.util.Map<String, io.prunestream.core.model.Tensor> w = model.copyWeights();
        float[] stem = w.get("stem_bn.gamma").data();
        stem[0] = 0.001f;
        stem[1] = -0.3f;
        int[] counts = TrainingBenchmark.gammaHistogram(new ModelPackage(model.spec(), w));
        long scales = w.keySet().stream().filter(k -> k.endsWith(".gamma")).mapToLong(k -> w.get(k).size()).sum();
        assertTrue(java.util.Arrays.stream(counts).sum() == scales, java.util.Arrays.toString(counts));
        assertTrue(counts[0] == 1 && counts[TrainingBenchmark.GAMMA_BINS.length - 1] == 1, "|γ| 0.001 in the first bin, "
                + "|-0.3| in [0.2, 0.5): " + java.util.Arrays.toString(counts));
    }

    @Test
    void refusesABadLambdaBeforeTrainingAnything() {
        PrintWriter log = new PrintWriter(new StringWriter());
        IllegalArgumentException negative = assertThrows(IllegalArgumentException.class, () -> new TrainingBenchmark(2,
                null, log, ProgressListener.NONE, OptionalInt.empty(), dir, List.of(1.0, -0.5)));
        assertTrue(negative.getMessage().contains("lambda"), negative.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new TrainingBenchmark(2, null, log, ProgressListener.NONE,
                OptionalInt.empty(), dir, List.of()));
    }
}

package io.prunestream.core.gal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prunestream.core.allocation.ChannelRounding;
import io.prunestream.core.data.ImageDataset;
import io.prunestream.core.model.InputSpec;
import io.prunestream.core.model.ModelPackage;
import io.prunestream.core.model.ModelSpec;
import io.prunestream.core.train.ProgressListener;
import io.prunestream.core.train.TrainingConfig;
import io.prunestream.core.train.TrainingDivergedException;
import io.prunestream.core.zoo.GraphBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class GalTrainerTest {
    static final InputSpec INPUT = new InputSpec(1, 8, 8, 0, 1);

    /** conv(8) → BN → ReLU → conv(8) → BN → ReLU → pool → linear(3): two maskable groups. */
    static ModelPackage twoConvs(long seed) {
        GraphBuilder g = new GraphBuilder();
        String x = g.convBnRelu("c1", ModelSpec.INPUT, 8, 3, 1, 1);
        x = g.convBnRelu("c2", x, 8, 3, 1, 1);
        String out = g.linear("fc", g.flatten(g.globalAvgPool(x)), 3);
        return g.build("two-convs", "two-convs", INPUT, 3, out, seed);
    }

    static ImageDataset noise(int n, long seed) {
        Random random = new Random(seed);
        float[] pixels = new float[n * 64];
        int[] labels = new int[n];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (float) random.nextGaussian();
        }
        for (int i = 0; i < n; i++) {
            labels[i] = random.nextInt(3);
        }
        return new ImageDataset(pixels, labels, 1, 8, 8, 3);
    }

    @Test
    void shortRunZeroesSomeMasksAndSurgeryKeepsTheMaskedOutput() {
        ModelPackage original = twoConvs(3);
        TrainingConfig training = TrainingConfig.builder().epochs(2).batchSize(16).learningRate(0.02).seed(4)
                .maxBatchesPerEpoch(8).build();
        GalConfig gal = new GalConfig(0.9, 0.1, 0.05, 1e-3).withMaskStep(1);
        List<GalEpoch> seen = new ArrayList<>();
        GalResult result = new GalTrainer(training, gal, new ProgressListener() { },
                seen::add, ai.djl.engine.Engine.getInstance().defaultDevice()).train(original, noise(128, 1));

        assertEquals(2, seen.size());
        assertTrue(result.maskSparsity() > 0, "no mask reached zero: " + describe(result.masks()));
        assertTrue(result.maskSparsity() < 1, "every mask reached zero");
        assertTrue(seen.get(1).maskSparsity() >= seen.get(0).maskSparsity() || seen.get(1).maskSparsity() > 0);
        for (float[] m : result.masks().values()) {
            for (float v : m) {
                assertTrue(v >= 0, "negative mask " + v);
            }
        }
        assertTrue(Double.isFinite(result.lastEpoch().discriminatorLoss()));

        assertSmallerWithTheMaskedOutput(original, result,
                MaskPlan.prune(result.student(), result.masks(), 1, ChannelRounding.NONE), MaskGranularity.CHANNELS);
    }

    /** The masks move only on every mask-step-th student step, as in the authors' code. */
    @Test
    void masksHoldStillBetweenMaskSteps() {
        TrainingConfig training = TrainingConfig.builder().epochs(2).batchSize(16).learningRate(0.02).seed(4)
                .maxBatchesPerEpoch(4).build();
        GalResult never = new GalTrainer(training, new GalConfig(0.5, 0.1, 0.05, 1e-3).withMaskStep(9))
                .train(twoConvs(3), noise(64, 1));
        never.masks().values().forEach(m -> {
            for (float v : m) {
                assertEquals(1f, v, "8 student steps, mask step 9: the masks never moved");
            }
        });
        GalResult once = new GalTrainer(training, new GalConfig(0.5, 0.1, 0.05, 1e-3).withMaskStep(8))
                .train(twoConvs(3), noise(64, 1));
        float expected = (float) (1 - 0.05 * 0.5); // one threshold, from 1, give or take the data gradient
        assertTrue(once.masks().values().stream().anyMatch(m -> m[0] != 1f), "the eighth step moved the masks");
        once.masks().values().forEach(m -> {
            for (float v : m) {
                assertTrue(Math.abs(v - expected) < 0.02, "one mask step moves a mask by about eta * lambda: " + v);
            }
        });
        assertThrows(IllegalArgumentException.class, () -> GalConfig.defaults().withMaskStep(0));
    }

    @Test
    void lambdaZeroKeepsEveryChannel() {
        TrainingConfig training = TrainingConfig.builder().epochs(1).batchSize(16).learningRate(0.01).seed(4)
                .maxBatchesPerEpoch(3).build();
        GalResult result = new GalTrainer(training, new GalConfig(0, 0.1, 0.01, 1e-3)).train(twoConvs(3), noise(48, 1));
        assertEquals(0, result.maskSparsity());
    }

    @Test
    void divergingStudentStopsAtTheFirstNonFiniteLoss() {
        TrainingConfig training = TrainingConfig.builder().epochs(2).batchSize(16).learningRate(1e30).seed(4)
                .maxBatchesPerEpoch(4).build();
        List<Double> heard = new ArrayList<>();
        ProgressListener listener = new ProgressListener() {
            @Override
            public void onBatch(int epoch, int batch, int batches, double loss, double accuracy) {
                heard.add(loss);
            }
        };
        TrainingDivergedException e = assertThrows(TrainingDivergedException.class,
                () -> new GalTrainer(training, new GalConfig(0.5, 0.1, 0.05, 1e-3), listener, epoch -> { },
                        ai.djl.engine.Engine.getInstance().defaultDevice()).train(twoConvs(3), noise(64, 1)));

        assertEquals(e.step() - 1, heard.size(), "batches run before the bad one: " + heard);
        assertTrue(e.getMessage().startsWith("GAL's student diverged at step " + e.step() + " ("), e.getMessage());
    }

    @Test
    void modelWithNothingToMaskIsRefused() {
        GraphBuilder g = new GraphBuilder();
        String out = g.linear("fc", g.flatten(ModelSpec.INPUT), 3);
        ModelPackage linear = g.build("linear", "linear", INPUT, 3, out, 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new GalTrainer(TrainingConfig.defaults(), GalConfig.defaults()).train(linear, noise(8, 1)));
        assertTrue(e.getMessage().contains("no channel group"), e.getMessage());
    }

    @Test
    void blockMasksOfAResnetReachZeroAndRemovalKeepsTheMaskedOutput() {
        ModelPackage original = io.prunestream.core.zoo.ModelZoo.create("resnet20", INPUT, 3, 3);
        // The teacher runs in inference mode on random running statistics, so the distance starts large:
        // a small student step keeps it finite, a large lambda zeroes blocks within six steps.
        TrainingConfig training = TrainingConfig.builder().epochs(1).batchSize(16).learningRate(0.002).seed(4)
                .maxBatchesPerEpoch(6).build();
        GalConfig gal = new GalConfig(20, 0.1, 0.01, 1e-3, MaskGranularity.BLOCKS, 1);
        GalResult result = new GalTrainer(training, gal).train(original, noise(96, 1));

        assertEquals(9, result.masks().size(), "one mask per residual block");
        assertTrue(result.masks().values().stream().allMatch(m -> m.length == 1 && m[0] >= 0), describe(result.masks()));
        assertTrue(result.maskSparsity() > 0, "no block mask reached zero: " + describe(result.masks()));
        assertSmallerWithTheMaskedOutput(original, result, BlockRemoval.prune(result.student(), result.masks()),
                MaskGranularity.BLOCKS);
    }

    @Test
    void blockMasksOnAModelWithoutResidualBlocksAreRefused() {
        ModelPackage vgg = io.prunestream.core.zoo.ModelZoo.create("vgg-small", INPUT, 3, 3);
        GalConfig gal = GalConfig.defaults().withGranularity(MaskGranularity.BLOCKS);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new GalTrainer(TrainingConfig.defaults(), gal).train(vgg, noise(8, 1)));
        assertTrue(e.getMessage().contains("no residual block") && e.getMessage().contains("vgg-small"), e.getMessage());
    }

    /** The pruned model is smaller than the original and computes what the masked student computes. */
    private static void assertSmallerWithTheMaskedOutput(ModelPackage original, GalResult result, ModelPackage pruned,
            MaskGranularity granularity) {
        assertTrue(pruned.parameterCount() < original.parameterCount(),
                pruned.parameterCount() + " vs " + original.parameterCount());
        float[] x = MaskPlanTest.images(6, INPUT, 9);
        float[] masked = MaskPlanTest.maskedLogits(result.student(), SoftMasks.of(result.student(), granularity),
                result.masks(), x, 6);
        float[] cut = MaskPlanTest.logits(pruned, x, 6);
        assertArrayEquals(masked, cut, 1e-4f * (1 + MaskPlanTest.maxAbs(masked)));
    }

    private static String describe(Map<Integer, float[]> masks) {
        StringBuilder sb = new StringBuilder();
        masks.forEach((g, m) -> sb.append(g).append('=').append(java.util.Arrays.toString(m)).append(' '));
        return sb.toString();
    }
}

package io.prunestream.core.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import io.prunestream.core.data.ImageDataset;
import io.prunestream.core.exec.ModelRunner;
import io.prunestream.core.model.ModelPackage;
import io.prunestream.core.model.Tensor;
import io.prunestream.core.zoo.ModelZoo;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ModelTrainerTest {
    private static final ImageDataset DATA = TinyModels.learnable(96, 1);

    private static TrainingConfig.Builder quick() {
        return TrainingConfig.builder().epochs(2).batchSize(16).learningRate(0.05).seed(7);
    }

    private static TrainingResult train(ModelPackage model, TrainingConfig config) {
        return new ModelTrainer(config).train(model, DATA);
    }

    @Test
    void sameSeedGivesTheSameWeights() {
        ModelPackage initial = TinyModels.convBn(3);
        ModelPackage first = train(initial, quick().build()).model();
        ModelPackage second = train(initial, quick().build()).model();
        // GPU kernels may reduce in a different order from run to run; CPU ones do not.
        float tolerance = Engine.getInstance().defaultDevice().isGpu() ? 1e-4f : 0f;
        for (String key : initial.weights().keySet()) {
            assertArrayEquals(first.weight(key).data(), second.weight(key).data(), tolerance, key);
        }
    }

    @Test
    void anotherSeedShufflesDifferently() {
        ModelPackage initial = TinyModels.convBn(3);
        ModelPackage a = train(initial, quick().build()).model();
        ModelPackage b = train(initial, quick().seed(8).build()).model();
        assertNotEquals(a.weight("conv.weight"), b.weight("conv.weight"));
    }

    @Test
    void trainingMovesWeightsAndBnStatisticsAndKeepsTheSpec() {
        ModelPackage initial = TinyModels.convBn(3);
        ModelPackage trained = train(initial, quick().build()).model();
        assertEquals(initial.spec(), trained.spec());
        for (String key : List.of("conv.weight", "conv_bn.gamma", "conv_bn.beta", "conv_bn.running_mean",
                "conv_bn.running_var", "fc.weight", "fc.bias")) {
            assertNotEquals(initial.weight(key), trained.weight(key), key + " should change");
            assertEquals(-1, trained.weight(key).firstNonFinite(), key + " should stay finite");
        }
    }

    @Test
    void evaluationLeavesTheModelAlone() {
        ModelPackage initial = TinyModels.convBn(3);
        try (ModelRunner runner = new ModelRunner(initial)) {
            new Evaluator(32).evaluate(runner, DATA);
            ModelPackage after = runner.block().toPackage();
            initial.weights().forEach((key, value) -> assertEquals(value, after.weight(key), key));
        }
    }

    @Test
    void tinyProblemIsLearnt() {
        ModelPackage initial = TinyModels.convBn(3);
        TrainingResult result = train(initial, quick().epochs(4).build());
        EvalResult before = new Evaluator().evaluate(initial, DATA);
        EvalResult after = new Evaluator().evaluate(result.model(), DATA);
        assertTrue(result.lastEpoch().trainLoss() < result.history().get(0).trainLoss(), result.history().toString());
        assertTrue(after.loss() < before.loss(), before + " -> " + after);
        assertTrue(after.accuracy() > 0.8, after.toString());
    }

    @Test
    void historyAndProgressReportEveryEpochAndBatch() {
        List<String> batches = new ArrayList<>();
        List<EpochStats> epochs = new ArrayList<>();
        ProgressListener listener = new ProgressListener() {
            @Override
            public void onBatch(int epoch, int batch, int total, double loss, double accuracy) {
                assertTrue(Double.isFinite(loss) && loss > 0, "loss " + loss);
                assertTrue(accuracy >= 0 && accuracy <= 1, "accuracy " + accuracy);
                batches.add(epoch + ":" + batch + "/" + total);
            }

            @Override
            public void onEpoch(EpochStats stats) {
                epochs.add(stats);
            }
        };
        TrainingConfig config = quick().epochs(3).maxBatchesPerEpoch(2).build();
        TrainingResult result = new ModelTrainer(config, listener).train(TinyModels.convBn(3), DATA);

        assertEquals(List.of("1:1/2", "1:2/2", "2:1/2", "2:2/2", "3:1/2", "3:2/2"), batches);
        assertEquals(result.history(), epochs);
        for (int e = 0; e < 3; e++) {
            EpochStats s = epochs.get(e);
            assertEquals(e + 1, s.epoch());
            assertTrue(s.seconds() > 0 && s.imagesPerSecond() > 0, s.toString());
            assertTrue(s.trainAccuracy() >= 0 && s.trainAccuracy() <= 1, s.toString());
        }
        // Cosine over 6 steps, reported at each epoch's first step: 0, 2 and 4.
        assertEquals(0.05, epochs.get(0).learningRate(), 1e-7);
        assertEquals(0.05 * (1 + Math.cos(Math.PI * 2 / 6)) / 2, epochs.get(1).learningRate(), 1e-7);
        assertEquals(0.05 * (1 + Math.cos(Math.PI * 4 / 6)) / 2, epochs.get(2).learningRate(), 1e-7);
    }

    @Test
    void constantScheduleKeepsTheRate() {
        TrainingResult result = train(TinyModels.convBn(3),
                quick().schedule(LearningRateSchedule.CONSTANT).maxBatchesPerEpoch(1).build());
        result.history().forEach(s -> assertEquals(0.05, s.learningRate(), 1e-7));
    }

    @Test
    void rejectsDataTheModelCannotTake() {
        ModelTrainer trainer = new ModelTrainer(quick().build());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> trainer.train(ModelZoo.create("lenet", 1), DATA));
        assertEquals("model 'lenet' takes 1x28x28 images, dataset has 1x8x8", e.getMessage());
        ImageDataset empty = new ImageDataset(new float[0], new int[0], 1, 8, 8, 3);
        e = assertThrows(IllegalArgumentException.class, () -> trainer.train(TinyModels.convBn(3), empty));
        assertEquals("dataset is empty", e.getMessage());
        ImageDataset tooManyClasses = new ImageDataset(new float[64], new int[] {4}, 1, 8, 8, 5);
        e = assertThrows(IllegalArgumentException.class, () -> trainer.train(TinyModels.convBn(3), tooManyClasses));
        assertEquals("model 'tiny' has 3 classes, dataset has 5", e.getMessage());
    }

    @Test
    void inputPackageIsUnchanged() {
        ModelPackage initial = TinyModels.convBn(3);
        Tensor before = initial.weight("conv.weight").copy();
        train(initial, quick().maxBatchesPerEpoch(1).build());
        assertEquals(before, initial.weight("conv.weight"));
    }
}

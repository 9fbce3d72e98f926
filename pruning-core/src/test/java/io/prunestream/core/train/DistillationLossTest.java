package io.prunestream.core.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.prunestream.core.data.ImageDataset;
import io.prunestream.core.model.ModelPackage;
import org.junit.jupiter.api.Test;

class DistillationLossTest {
    /**
     * Student logits (1, 2, 3) and (0.5, -1, 2), teacher (3, 1, 0) and (0, 0, 1), labels 2 and 0,
     * T = 2, w = 0.5. Worked out with log-sum-exp by hand: CE = (0.407606 + 1.741311) / 2 = 1.0744586;
     * KL(softmax(t/2) || softmax(s/2)) averaged over the two rows = 0.2973194; so
     * L = 0.5 * 1.0744586 + 0.5 * 4 * 0.2973194 = 1.1318681.
     */
    @Test
    void lossEqualsTheHandComputedValue() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray student = m.create(new float[] {1, 2, 3, 0.5f, -1, 2}, new Shape(2, 3));
            NDArray teacher = m.create(new float[] {3, 1, 0, 0, 0, 1}, new Shape(2, 3));
            NDArray labels = m.create(new float[] {2, 0});
            DistillationLoss loss = new DistillationLoss(2, 0.5);
            assertEquals(0.29731942, loss.softTargetDivergence(student, teacher).getFloat(), 1e-6);
            float total = loss.evaluate(new NDList(labels, teacher), new NDList(student)).getFloat();
            assertEquals(1.13186815, total, 1e-5);
        }
    }

    @Test
    void weightZeroIsPlainCrossEntropyAndIdenticalLogitsHaveNoSoftTerm() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray logits = m.create(new float[] {1, 2, 3, 0.5f, -1, 2}, new Shape(2, 3));
            NDArray labels = m.create(new float[] {2, 0});
            float plain = ai.djl.training.loss.Loss.softmaxCrossEntropyLoss()
                    .evaluate(new NDList(labels), new NDList(logits)).getFloat();
            assertEquals(plain, new DistillationLoss(3, 0).evaluate(new NDList(labels, logits.mul(5)),
                    new NDList(logits)).getFloat(), 1e-6);
            assertEquals(0, new DistillationLoss(3, 1).softTargetDivergence(logits, logits).getFloat(), 1e-6);
        }
    }

    @Test
    void badSettingsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new DistillationLoss(0, 0.5));
        assertThrows(IllegalArgumentException.class, () -> new DistillationLoss(2, 1.5));
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.create(new float[] {1, 2}, new Shape(1, 2));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> new DistillationLoss(2, 0.5).evaluate(new NDList(m.create(new float[] {0})), new NDList(x)));
            assertTrue(e.getMessage().contains("teacher"), e.getMessage());
        }
    }

    @Test
    void distilledTrainingRunsAndDiffersFromPlainTraining() {
        ImageDataset data = TinyModels.learnable(64, 1);
        ModelPackage teacher = new ModelTrainer(TrainingConfig.builder().epochs(3).batchSize(16).learningRate(0.05)
                .seed(1).build()).train(TinyModels.convBn(5), data).model();
        TrainingConfig config = TrainingConfig.builder().epochs(1).batchSize(16).learningRate(0.05).seed(2).build();
        ModelPackage plain = new ModelTrainer(config).train(TinyModels.convBn(3), data).model();
        TrainingResult distilled = new ModelTrainer(config).distilledFrom(teacher, new DistillationLoss(4, 0.9))
                .train(TinyModels.convBn(3), data);
        assertTrue(Double.isFinite(distilled.lastEpoch().trainLoss()));
        assertNotEquals(plain.weight("conv.weight"), distilled.model().weight("conv.weight"));
    }

    @Test
    void teacherWithOtherClassesIsRefused() {
        ImageDataset data = TinyModels.learnable(16, 1);
        ModelPackage teacher = TinyModels.convNoBn(5, 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ModelTrainer(TrainingConfig.defaults()).distilledFrom(teacher, new DistillationLoss(2, 0.5))
                        .train(TinyModels.convBn(3), data));
        assertTrue(e.getMessage().contains("classes"), e.getMessage());
    }
}

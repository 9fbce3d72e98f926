package io.prunestream.core.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prunestream.core.data.ImageDataset;
import io.prunestream.core.model.ModelPackage;
import org.junit.jupiter.api.Test;

class BnScaleSparsityTest {
    private static final ImageDataset DATA = TinyModels.learnable(96, 1);

    private static double sumAbsGamma(ModelPackage model) {
        double sum = 0;
        for (float g : model.weight("conv_bn.gamma").data()) {
            sum += Math.abs(g);
        }
        return sum;
    }

    @Test
    void slimmingDrivesBnScalesDownComparedWithPlainTrainingOnTheSameSeed() {
        TrainingConfig config = TrainingConfig.builder().epochs(3).batchSize(16).learningRate(0.05).seed(7).build();
        ModelPackage initial = TinyModels.convBn(3);
        ModelPackage plain = new ModelTrainer(config).train(initial, DATA).model();
        TrainingResult sparse = new ModelTrainer(config).withPenalty(new BnScaleSparsity(0.05)).train(initial, DATA);
        double plainL1 = sumAbsGamma(plain);
        double sparseL1 = sumAbsGamma(sparse.model());
        assertTrue(sparseL1 < 0.8 * plainL1, "sum |gamma|: slimming " + sparseL1 + ", plain " + plainL1);
        assertTrue(Double.isFinite(sparse.lastEpoch().trainLoss()));
    }

    @Test
    void lambdaZeroChangesNothing() {
        TrainingConfig config = TrainingConfig.builder().epochs(1).batchSize(16).learningRate(0.05).seed(7).build();
        ModelPackage initial = TinyModels.convBn(3);
        ModelPackage plain = new ModelTrainer(config).train(initial, DATA).model();
        ModelPackage zero = new ModelTrainer(config).withPenalty(new BnScaleSparsity(0)).train(initial, DATA).model();
        float tolerance = ai.djl.engine.Engine.getInstance().defaultDevice().isGpu() ? 1e-4f : 1e-6f;
        org.junit.jupiter.api.Assertions.assertArrayEquals(plain.weight("conv_bn.gamma").data(),
                zero.weight("conv_bn.gamma").data(), tolerance);
    }

    @Test
    void modelWithoutBatchNormIsRefusedWithAClearMessage() {
        ModelPackage lenet = TinyModels.convNoBn(3, 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new ModelTrainer(
                TrainingConfig.builder().batchSize(16).build()).withPenalty(new BnScaleSparsity(1e-4)).train(lenet, DATA));
        assertTrue(e.getMessage().contains("batch-norm"), e.getMessage());
        assertEquals("bn-scale-l1", new BnScaleSparsity(1).name());
    }
}

package io.prunestream.core.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prunestream.core.data.ImageDataset;
import io.prunestream.core.model.ModelPackage;
import io.prunestream.core.model.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Training that goes non-finite stops at that step with a message naming it, and nothing else runs. */
class TrainingDivergenceTest {
    private static final ImageDataset DATA = TinyModels.learnable(96, 1);

    /** Losses of the batches the listener heard of, in order. */
    private static final class Heard implements ProgressListener {
        final List<Double> losses = new ArrayList<>();
        int epochs;

        @Override
        public void onBatch(int epoch, int batch, int batches, double loss, double accuracy) {
            losses.add(loss);
        }

        @Override
        public void onEpoch(EpochStats stats) {
            epochs++;
        }
    }

    @Test
    void hugeLearningRateStopsAtTheFirstNonFiniteLoss() {
        ModelPackage initial = TinyModels.convBn(3);
        Map<String, Tensor> before = copies(initial);
        Heard heard = new Heard();
        TrainingConfig config = TrainingConfig.builder().epochs(3).batchSize(16).learningRate(1e30)
                .schedule(LearningRateSchedule.CONSTANT).seed(7).build();

        TrainingDivergedException e = assertThrows(TrainingDivergedException.class,
                () -> new ModelTrainer(config, heard).train(initial, DATA));

        // The first step starts from sane weights; its update is what blows up.
        assertTrue(e.step() >= 2, "diverged at step " + e.step());
        assertEquals(e.step() - 1, heard.losses.size(), "batches run before the bad one: " + heard.losses);
        heard.losses.forEach(loss -> assertTrue(Double.isFinite(loss), "reported loss " + loss));
        assertTrue(!Double.isFinite(e.loss()), "loss " + e.loss());
        assertEquals(e.step(), (long) (e.epoch() - 1) * 6 + e.batch(), "6 batches of 16 per epoch");
        assertTrue(e.getMessage().startsWith("training diverged at step " + e.step() + " (epoch " + e.epoch()
                + ", batch " + e.batch() + " of 6): the loss is " + e.loss()), e.getMessage());
        assertTrue(e.getMessage().contains("learning rate too high"), e.getMessage());
        assertTrue(e.getMessage().contains("engine self-check"), e.getMessage());
        assertEquals(before, copies(initial), "the package passed in must not change");
    }

    @Test
    void nonFiniteImagesStopTheFirstStepBeforeAnyUpdate() {
        float[] pixels = new float[DATA.size() * DATA.imageSize()];
        for (int i = 0; i < DATA.size(); i++) {
            System.arraycopy(DATA.image(i), 0, pixels, i * DATA.imageSize(), DATA.imageSize());
        }
        pixels[0] = Float.NaN;
        ImageDataset poisoned = new ImageDataset(pixels, DATA.labels(), 1, 8, 8, TinyModels.CLASSES);
        Heard heard = new Heard();
        // One batch holds every image, so the NaN is in the first step whatever the shuffle.
        TrainingConfig config = TrainingConfig.builder().epochs(2).batchSize(DATA.size()).seed(7).build();

        TrainingDivergedException e = assertThrows(TrainingDivergedException.class,
                () -> new ModelTrainer(config, heard).train(TinyModels.convBn(3), poisoned));

        assertEquals(1, e.step());
        assertEquals(List.of(), heard.losses);
        assertEquals(0, heard.epochs);
        assertTrue(e.getMessage().startsWith("training diverged at step 1 (epoch 1, batch 1 of 1): the loss is NaN, "
                + "so training stopped before the optimiser applied this step"), e.getMessage());
        assertTrue(e.getMessage().contains("non-finite values in the input images"), e.getMessage());
    }

    private static Map<String, Tensor> copies(ModelPackage model) {
        Map<String, Tensor> copies = new TreeMap<>();
        model.weights().forEach((key, value) -> copies.put(key, value.copy()));
        return copies;
    }
}

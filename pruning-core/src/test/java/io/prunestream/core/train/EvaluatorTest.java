package io.prunestream.core.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.prunestream.core.data.ImageDataset;
import org.junit.jupiter.api.Test;

class EvaluatorTest {

    private static final float[][] LOGITS = {{2, 0, 0}, {0, 1, 3}, {1, 4, 0}, {0.5f, 0, 1}};
    private static final int[] LABELS = {0, 2, 0, 2};

    private static ImageDataset data() {
        float[] pixels = new float[LOGITS.length * 3];
        for (int i = 0; i < LOGITS.length; i++) {
            System.arraycopy(LOGITS[i], 0, pixels, i * 3, 3);
        }
        return new ImageDataset(pixels, LABELS, 1, 1, 3, 3);
    }

    private static double crossEntropy(float[] logits, int label) {
        double sum = 0;
        for (float z : logits) {
            sum += Math.exp(z);
        }
        return Math.log(sum) - logits[label];
    }

    @Test
    void accuracyAndLossAreExactPerImageMeans() {
        double expectedLoss = 0;
        for (int i = 0; i < LOGITS.length; i++) {
            expectedLoss += crossEntropy(LOGITS[i], LABELS[i]) / LOGITS.length;
        }
        // Batches of 3 and 1: a mean of batch means would weigh the last image three times too much.
        for (int batchSize : new int[] {1, 3, 256}) {
            EvalResult r = new Evaluator(batchSize).evaluate(TinyModels.identityLinear(), data());
            assertEquals(4, r.samples());
            assertEquals(0.75, r.accuracy(), 0.0, "batch " + batchSize);
            assertEquals(expectedLoss, r.loss(), 1e-5, "batch " + batchSize);
        }
    }

    @Test
    void rejectsABadBatchSizeAndEmptyData() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Evaluator(0));
        assertEquals("batchSize must be at least 1, got 0", e.getMessage());
        ImageDataset empty = new ImageDataset(new float[0], new int[0], 1, 1, 3, 3);
        e = assertThrows(IllegalArgumentException.class, () -> new Evaluator().evaluate(TinyModels.identityLinear(), empty));
        assertEquals("dataset is empty", e.getMessage());
    }
}

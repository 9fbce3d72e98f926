package io.prunestream.core.evaluation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.prunestream.core.data.ImageDataset;
import io.prunestream.core.model.ModelPackage;
import io.prunestream.core.model.Tensor;
import io.prunestream.core.zoo.ModelZoo;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class AdaptiveBatchNormTest {

    @Test
    void changesRunningStatisticsAndNothingElse() {
        ModelPackage model = ModelZoo.create("resnet20", 3);
        ImageDataset data = randomImages(96, new Random(1));
        ModelPackage calibrated = new AdaptiveBatchNorm(4, 32).recalibrate(model, data, 7);
        for (String key : model.weights().keySet()) {
            Tensor before = model.weight(key);
            Tensor after = calibrated.weight(key);
            if (key.endsWith(".running_mean") || key.endsWith(".running_var")) {
                assertFalse(Arrays.equals(before.data(), after.data()), key + " must be recalibrated");
            } else {
                assertArrayEquals(before.data(), after.data(), key + " must stay byte-identical");
            }
        }
    }

    static ImageDataset randomImages(int n, Random random) {
        float[] pixels = new float[n * 28 * 28];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (float) random.nextGaussian();
        }
        int[] labels = random.ints(n, 0, 10).toArray();
        return new ImageDataset(pixels, labels, 1, 28, 28, 10);
    }
}

package io.prunestream.core.evaluation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
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

    @Test
    void cumulativeVariantHoldsTheExactMomentsOfWhatItSaw() {
        ModelPackage model = ModelZoo.create("vgg-small", 4);
        ImageDataset data = randomImages(96, new Random(2));
        // Three batches of 32 cover the 96 images exactly once.
        ModelPackage calibrated = new AdaptiveBatchNorm(3, 32, AdaptiveBatchNorm.Mode.CUMULATIVE)
                .recalibrate(model, data, 5);
        // The first BN reads conv1_1's output, which no BN precedes: compute its moments directly.
        float[] conv;
        try (io.prunestream.core.exec.ModelRunner runner = new io.prunestream.core.exec.ModelRunner(model)) {
            ai.djl.ndarray.NDArray x = runner.manager().create(pixels(data), new ai.djl.ndarray.types.Shape(96, 1, 28, 28));
            conv = runner.block().forwardNodes(runner.store(), x, false, null).get("conv1_1").toFloatArray();
        }
        int channels = 32;
        int plane = 28 * 28;
        float[] mean = calibrated.weight("conv1_1_bn.running_mean").data();
        float[] var = calibrated.weight("conv1_1_bn.running_var").data();
        for (int c = 0; c < channels; c++) {
            double sum = 0;
            double sq = 0;
            long n = 0;
            for (int b = 0; b < 96; b++) {
                for (int i = 0; i < plane; i++) {
                    double v = conv[(b * channels + c) * plane + i];
                    sum += v;
                    sq += v * v;
                    n++;
                }
            }
            double m = sum / n;
            double unbiased = (sq - n * m * m) / (n - 1);
            assertEquals(m, mean[c], 1e-4 + 1e-4 * Math.abs(m), "mean of channel " + c);
            assertEquals(unbiased, var[c], 1e-4 * Math.max(1, unbiased), "variance of channel " + c);
        }
        for (String key : model.weights().keySet()) {
            if (!key.endsWith(".running_mean") && !key.endsWith(".running_var")) {
                assertArrayEquals(model.weight(key).data(), calibrated.weight(key).data(), key);
            }
        }
    }

    static float[] pixels(ImageDataset data) {
        float[] all = new float[data.size() * 28 * 28];
        for (int i = 0; i < data.size(); i++) {
            System.arraycopy(data.image(i), 0, all, i * 28 * 28, 28 * 28);
        }
        return all;
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

package io.prunestream.core.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import io.prunestream.core.data.ImageDataset;
import io.prunestream.core.model.ModelPackage;
import org.junit.jupiter.api.Test;

/**
 * The trainer against SGD written out by hand on a linear model, full batch: checks the gradient, that
 * gradients do not accumulate across steps, the schedule's step indexing, momentum and weight decay
 * (PyTorch's convention: decay joins the gradient, the buffer starts at the first gradient).
 */
class SgdStepTest {
    private static final float[][] X = {{2, 0, 0}, {0, 1, 3}, {1, 4, 0}, {0.5f, 0, 1}};
    private static final int[] Y = {0, 2, 0, 2};

    private static ImageDataset data() {
        float[] pixels = new float[X.length * 3];
        for (int i = 0; i < X.length; i++) {
            System.arraycopy(X[i], 0, pixels, i * 3, 3);
        }
        return new ImageDataset(pixels, Y, 1, 1, 3, 3);
    }

    @Test
    void cosineWithoutMomentum() {
        check(TrainingConfig.builder().epochs(2).batchSize(4).learningRate(0.1).momentum(0).weightDecay(0)
                .schedule(LearningRateSchedule.COSINE).build(), new double[] {0.1, 0.05});
    }

    @Test
    void constantWithMomentumAndWeightDecay() {
        check(TrainingConfig.builder().epochs(3).batchSize(4).learningRate(0.1).momentum(0.9).weightDecay(0.01)
                .schedule(LearningRateSchedule.CONSTANT).build(), new double[] {0.1, 0.1, 0.1});
    }

    private static void check(TrainingConfig config, double[] rates) {
        ModelPackage initial = TinyModels.identityLinear();
        // Parameters as one vector: the 3x3 weight row-major, then the 3 biases.
        double[] w = new double[12];
        for (int i = 0; i < 9; i++) {
            w[i] = initial.weight("fc.weight").data()[i];
        }
        double[] buffer = null;
        for (double rate : rates) {
            double[] g = gradient(w);
            for (int i = 0; i < 12; i++) {
                g[i] += config.weightDecay() * w[i];
            }
            if (buffer == null) {
                buffer = g;
            } else {
                for (int i = 0; i < 12; i++) {
                    buffer[i] = config.momentum() * buffer[i] + g[i];
                }
            }
            for (int i = 0; i < 12; i++) {
                w[i] -= rate * buffer[i];
            }
        }
        ModelPackage trained = new ModelTrainer(config).train(initial, data()).model();
        float[] expectedWeight = new float[9];
        float[] expectedBias = new float[3];
        for (int i = 0; i < 9; i++) {
            expectedWeight[i] = (float) w[i];
        }
        for (int i = 0; i < 3; i++) {
            expectedBias[i] = (float) w[9 + i];
        }
        assertArrayEquals(expectedWeight, trained.weight("fc.weight").data(), 1e-5f);
        assertArrayEquals(expectedBias, trained.weight("fc.bias").data(), 1e-5f);
    }

    /** d(mean cross-entropy)/d(W, b) for logits W x + b: the mean of (softmax − onehot) x^T and (softmax − onehot). */
    private static double[] gradient(double[] w) {
        double[] g = new double[12];
        for (int n = 0; n < X.length; n++) {
            double[] z = new double[3];
            double sum = 0;
            for (int c = 0; c < 3; c++) {
                z[c] = w[9 + c];
                for (int k = 0; k < 3; k++) {
                    z[c] += w[c * 3 + k] * X[n][k];
                }
            }
            double max = Math.max(z[0], Math.max(z[1], z[2]));
            for (int c = 0; c < 3; c++) {
                z[c] = Math.exp(z[c] - max);
                sum += z[c];
            }
            for (int c = 0; c < 3; c++) {
                double d = (z[c] / sum - (Y[n] == c ? 1 : 0)) / X.length;
                for (int k = 0; k < 3; k++) {
                    g[c * 3 + k] += d * X[n][k];
                }
                g[9 + c] += d;
            }
        }
        return g;
    }
}

package io.prunestream.core.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prunestream.core.exec.ModelRunner;
import io.prunestream.core.model.ModelPackage;
import io.prunestream.core.model.Tensor;
import java.util.Map;
import java.util.Random;

/** Models with non-trivial statistics, random inputs and logit comparison, for tests that compare two forms of one network. */
public final class ModelFixtures {
    private ModelFixtures() {
    }

    /**
     * Non-trivial BN statistics so that a slicing error in BN cannot hide behind identity values;
     * gammas below 1 keep deep residual stacks from blowing activations up past float precision.
     */
    public static ModelPackage randomiseBn(ModelPackage pkg, Random random) {
        Map<String, Tensor> w = pkg.copyWeights();
        w.forEach((k, t) -> {
            if (k.endsWith(".gamma")) {
                for (int i = 0; i < t.size(); i++) {
                    t.data()[i] = 0.1f + 0.3f * random.nextFloat();
                }
            } else if (k.endsWith(".running_var")) {
                for (int i = 0; i < t.size(); i++) {
                    t.data()[i] = 0.5f + random.nextFloat();
                }
            } else if (k.endsWith(".beta") || k.endsWith(".running_mean") || k.endsWith(".bias")) {
                for (int i = 0; i < t.size(); i++) {
                    t.data()[i] = (random.nextFloat() - 0.5f) * 0.2f;
                }
            }
        });
        return new ModelPackage(pkg.spec(), w);
    }

    public static float[] randomImages(Random random, int batch, ModelPackage pkg) {
        int[] s = pkg.spec().input().shape();
        float[] x = new float[batch * s[0] * s[1] * s[2]];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) random.nextGaussian();
        }
        return x;
    }

    public static float[][] logits(ModelPackage pkg, float[] images) {
        int per = pkg.spec().input().channels() * pkg.spec().input().height() * pkg.spec().input().width();
        try (ModelRunner runner = new ModelRunner(pkg)) {
            return runner.logits(images, images.length / per);
        }
    }

    public static void assertClose(float[][] expected, float[][] actual, double tol, String what) {
        double worst = 0;
        for (int b = 0; b < expected.length; b++) {
            for (int c = 0; c < expected[b].length; c++) {
                worst = Math.max(worst, Math.abs(expected[b][c] - actual[b][c]));
            }
        }
        assertTrue(worst <= tol, what + ": max abs difference " + worst + " > " + tol);
    }
}

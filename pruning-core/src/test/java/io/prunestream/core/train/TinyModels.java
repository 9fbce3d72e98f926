package io.prunestream.core.train;

import io.prunestream.core.data.ImageDataset;
import io.prunestream.core.model.InputSpec;
import io.prunestream.core.model.ModelPackage;
import io.prunestream.core.model.ModelSpec;
import io.prunestream.core.model.Tensor;
import io.prunestream.core.zoo.GraphBuilder;
import java.util.Map;
import java.util.Random;

/** Models and data small enough that a training run takes milliseconds. */
final class TinyModels {
    static final InputSpec INPUT = new InputSpec(1, 8, 8, 0, 1);
    static final int CLASSES = 3;

    private TinyModels() {}

    /** conv(4) → BN → ReLU → maxpool → linear(3): has weights and BN running statistics. */
    static ModelPackage convBn(long seed) {
        GraphBuilder g = new GraphBuilder();
        String x = g.convBnRelu("conv", ModelSpec.INPUT, 4, 3, 1, 1);
        x = g.flatten(g.maxPool(x, 2, 2, 0));
        String out = g.linear("fc", x, CLASSES);
        return g.build("tiny", "tiny", INPUT, CLASSES, out, seed);
    }

    /** conv(4) → ReLU → maxpool → linear: no batch-norm, for methods that need one. */
    static ModelPackage convNoBn(int classes, long seed) {
        GraphBuilder g = new GraphBuilder();
        String x = g.relu(g.conv("conv", ModelSpec.INPUT, 4, 3, 1, 1));
        String out = g.linear("fc", g.flatten(g.maxPool(x, 2, 2, 0)), classes);
        return g.build("tiny-no-bn", "tiny-no-bn", INPUT, classes, out, seed);
    }

    /** 1x1x3 images → flatten → linear with the identity matrix: the logits are the three pixels. */
    static ModelPackage identityLinear() {
        GraphBuilder g = new GraphBuilder();
        String out = g.linear("fc", g.flatten(ModelSpec.INPUT), 3);
        ModelPackage random = g.build("identity", "identity", new InputSpec(1, 1, 3, 0, 1), 3, out, 0);
        float[] eye = {1, 0, 0, 0, 1, 0, 0, 0, 1};
        return new ModelPackage(random.spec(),
                Map.of("fc.weight", new Tensor(new int[] {3, 3}, eye), "fc.bias", Tensor.zeros(3)));
    }

    /** Random images whose class is which third of the image is brightest, so there is something to learn. */
    static ImageDataset learnable(int n, long seed) {
        Random random = new Random(seed);
        int pixels = INPUT.height() * INPUT.width();
        float[] images = new float[n * pixels];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = random.nextInt(CLASSES);
            for (int p = 0; p < pixels; p++) {
                int band = p / INPUT.width() * CLASSES / INPUT.height();
                images[i * pixels + p] = (float) random.nextGaussian() + (band == labels[i] ? 1.5f : 0f);
            }
        }
        return new ImageDataset(images, labels, 1, INPUT.height(), INPUT.width(), CLASSES);
    }
}

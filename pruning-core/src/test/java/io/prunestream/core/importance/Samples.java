package io.prunestream.core.importance;

import io.prunestream.core.data.ImageDataset;
import io.prunestream.core.data.RandomImages;
import io.prunestream.core.model.ModelPackage;

/** Calibration contexts for tests. */
final class Samples {
    private Samples() {}

    static ImageDataset random(ModelPackage model, int images, long seed) {
        return RandomImages.gaussian(model.spec().input(), model.spec().classes(), images, seed);
    }

    static ScoringContext context(ModelPackage model, ImageDataset sample, int batchSize) {
        return ScoringContext.builder(model).calibration(sample, batchSize).build();
    }

    static ScoringContext randomContext(ModelPackage model, int images, int batchSize) {
        return context(model, random(model, images, 17), batchSize);
    }

    /** Images of {@link TinyModels#INPUT} whose two input channels are constant, at the given values. */
    static ImageDataset constantImages(float[] channel0, float[] channel1) {
        int pixels = TinyModels.INPUT.height() * TinyModels.INPUT.width();
        float[] data = new float[channel0.length * 2 * pixels];
        for (int i = 0; i < channel0.length; i++) {
            java.util.Arrays.fill(data, (2 * i) * pixels, (2 * i + 1) * pixels, channel0[i]);
            java.util.Arrays.fill(data, (2 * i + 1) * pixels, (2 * i + 2) * pixels, channel1[i]);
        }
        return new ImageDataset(data, new int[channel0.length], 2, TinyModels.INPUT.height(),
                TinyModels.INPUT.width(), 3);
    }
}

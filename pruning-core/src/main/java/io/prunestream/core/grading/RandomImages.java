package io.prunestream.core.grading;

import io.prunestream.core.data.ImageDataset;
import io.prunestream.core.model.InputSpec;
import java.util.SplittableRandom;

/**
 * A labelled sample of standard-normal images with uniform labels, shaped for a model: data for
 * checks that must run where no dataset is installed. Normalised real images have about the same
 * first two moments, so activations keep realistic scales.
 */
public final class RandomImages {
    private RandomImages() {}

    public static ImageDataset sample(InputSpec input, int classes, int count, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int per = input.channels() * input.height() * input.width();
        float[] pixels = new float[count * per];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (float) random.nextGaussian();
        }
        int[] labels = new int[count];
        for (int i = 0; i < count; i++) {
            labels[i] = random.nextInt(classes);
        }
        return new ImageDataset(pixels, labels, input.channels(), input.height(), input.width(), classes);
    }
}

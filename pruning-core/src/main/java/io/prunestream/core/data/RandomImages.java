package io.prunestream.core.data;

import io.prunestream.core.model.InputSpec;
import java.util.SplittableRandom;

/**
 * Labelled random images shaped for a model, with uniform labels: data for checks that must run where
 * no dataset is installed. Two kinds, because the checks want different things.
 */
public final class RandomImages {
    private RandomImages() {}

    /**
     * Standard-normal pixels. Normalised real images have about the same first two moments, so
     * activations keep realistic scales: what criteria and grading checks need.
     */
    public static ImageDataset gaussian(InputSpec input, int classes, int count, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] pixels = new float[count * input.channels() * input.height() * input.width()];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (float) random.nextGaussian();
        }
        return new ImageDataset(pixels, labels(random, classes, count), input.channels(), input.height(),
                input.width(), classes);
    }

    /**
     * Random 8-bit pixels normalised as the input spec says, i.e. images a runtime could really be fed:
     * what comparing two runtimes (or an exported model with its original) needs.
     */
    public static ImageDataset pixels(InputSpec input, int classes, int count, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] pixels = new float[count * input.channels() * input.height() * input.width()];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (float) ((random.nextInt(256) / 255.0 - input.mean()) / input.std());
        }
        return new ImageDataset(pixels, labels(random, classes, count), input.channels(), input.height(),
                input.width(), classes);
    }

    private static int[] labels(SplittableRandom random, int classes, int count) {
        int[] labels = new int[count];
        for (int i = 0; i < count; i++) {
            labels[i] = random.nextInt(classes);
        }
        return labels;
    }
}

package io.prunestream.tf.parity;

import io.prunestream.core.data.ImageDataset;
import io.prunestream.core.model.InputSpec;
import java.util.Random;

/** Random 8-bit images normalised as an InputSpec says: enough to compare two runtimes without a dataset. */
public final class RandomImages {
    private RandomImages() {}

    public static ImageDataset of(InputSpec in, int count, int classes, long seed) {
        Random random = new Random(seed);
        float[] pixels = new float[count * in.channels() * in.height() * in.width()];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (float) ((random.nextInt(256) / 255.0 - in.mean()) / in.std());
        }
        int[] labels = random.ints(count, 0, classes).toArray();
        return new ImageDataset(pixels, labels, in.channels(), in.height(), in.width(), classes);
    }
}

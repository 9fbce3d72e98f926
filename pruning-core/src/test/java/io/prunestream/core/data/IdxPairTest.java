package io.prunestream.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxPairTest {

    @TempDir
    Path dir;

    @Test
    void loadsNormalisedSingleChannelDataset() throws IOException {
        byte[] pixels = {0, 10, (byte) 255, 20, 30, (byte) 200, 1, 2, 3, 4, 5, 6};
        IdxPair pair = new IdxPair(
                IdxTestFiles.write(dir.resolve("i.gz"),
                        IdxTestFiles.gzip(IdxTestFiles.images(2, 2, 3, pixels))),
                IdxTestFiles.write(dir.resolve("l"), IdxTestFiles.labels(4, 1)));

        ImageDataset data = pair.load(Normalization.FASHION_MNIST);

        assertEquals(2, data.size());
        assertEquals(1, data.channels());
        assertEquals(2, data.height());
        assertEquals(3, data.width());
        assertEquals(5, data.numClasses());
        assertArrayEquals(new int[] {4, 1}, data.labels());
        float[] second = data.image(1);
        for (int i = 0; i < 6; i++) {
            assertEquals(Normalization.FASHION_MNIST.apply(pixels[6 + i]), second[i], 0f);
        }
    }

    @Test
    void labelCountMustMatchImageCount() {
        Path images = IdxTestFiles.write(dir.resolve("images-idx3-ubyte"),
                IdxTestFiles.images(3, 1, 1, new byte[] {1, 2, 3}));
        Path labels = IdxTestFiles.write(dir.resolve("labels-idx1-ubyte"),
                IdxTestFiles.labels(0, 1));

        DatasetException e = assertThrows(DatasetException.class,
                () -> new IdxPair(images, labels).load(Normalization.MNIST));

        assertEquals(labels + ": label/image count mismatch, 2 labels but " + images
                + " holds 3 images", e.getMessage());
    }
}

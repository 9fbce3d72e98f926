package io.prunestream.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ImageDatasetTest {

    /** n images of 1x2x2 whose four pixels all equal the image's index: identity is visible. */
    static ImageDataset indexed(int n, int numClasses) {
        float[] pixels = new float[n * 4];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            Arrays.fill(pixels, i * 4, i * 4 + 4, i);
            labels[i] = i % numClasses;
        }
        return ImageDataset.of(pixels, labels, 1, 2, 2);
    }

    /** The original indices of a dataset built by {@link #indexed}. */
    static int[] ids(ImageDataset data) {
        return IntStream.range(0, data.size()).map(i -> (int) data.image(i)[0]).toArray();
    }

    @Test
    void basicAccessors() {
        ImageDataset data = indexed(7, 3);

        assertEquals(7, data.size());
        assertEquals(1, data.channels());
        assertEquals(2, data.height());
        assertEquals(2, data.width());
        assertEquals(4, data.imageSize());
        assertEquals(3, data.numClasses());
        assertEquals(2, data.labelAt(5));
        assertArrayEquals(new float[] {6, 6, 6, 6}, data.image(6));
    }

    @Test
    void isImmutable() {
        float[] pixels = {1, 2};
        int[] labels = {0, 1};
        ImageDataset data = new ImageDataset(pixels, labels, 1, 1, 1, 2);

        pixels[0] = 99;
        labels[0] = 1;
        data.labels()[1] = 0;
        data.image(1)[0] = 99;

        assertArrayEquals(new float[] {1}, data.image(0));
        assertArrayEquals(new int[] {0, 1}, data.labels());
        assertArrayEquals(new float[] {2}, data.image(1));
    }

    @Test
    void validatesShapeAndLabels() {
        assertThrows(IllegalArgumentException.class,
                () -> new ImageDataset(new float[3], new int[] {0}, 1, 2, 2, 1));
        assertThrows(IllegalArgumentException.class,
                () -> new ImageDataset(new float[1], new int[] {2}, 1, 1, 1, 2));
        assertThrows(IllegalArgumentException.class,
                () -> new ImageDataset(new float[0], new int[0], 0, 1, 1, 1));
    }

    @Test
    void selectKeepsOrderAndNumClasses() {
        ImageDataset data = indexed(10, 10);

        ImageDataset picked = data.select(new int[] {7, 2, 2});

        assertArrayEquals(new int[] {7, 2, 2}, ids(picked));
        assertArrayEquals(new int[] {7, 2, 2}, picked.labels());
        assertEquals(10, picked.numClasses());
        assertThrows(IndexOutOfBoundsException.class, () -> data.select(new int[] {10}));
    }

    @Test
    void headTakesFirstImages() {
        ImageDataset data = indexed(10, 2);

        assertArrayEquals(new int[] {0, 1, 2}, ids(data.head(3)));
        assertEquals(10, data.head(50).size());
        assertEquals(0, data.head(0).size());
    }

    @Test
    void sampleIsSeededDistinctSubset() {
        ImageDataset data = indexed(100, 10);

        int[] first = ids(data.sample(20, 42));

        assertEquals(20, first.length);
        assertEquals(20, Arrays.stream(first).distinct().count());
        assertArrayEquals(first, ids(data.sample(20, 42)));
        assertNotEquals(Arrays.toString(first), Arrays.toString(ids(data.sample(20, 43))));
        assertEquals(100, data.sample(1000, 1).size());
    }

    @Test
    void splitIsDisjointCoveringAndDeterministic() {
        ImageDataset data = indexed(101, 10);

        ImageDataset.Split split = data.split(0.2, 7);

        int[] train = ids(split.train());
        int[] heldOut = ids(split.heldOut());
        assertEquals(20, heldOut.length);
        assertEquals(81, train.length);
        Set<Integer> all = new HashSet<>();
        Arrays.stream(train).forEach(all::add);
        Arrays.stream(heldOut).forEach(all::add);
        assertEquals(101, all.size(), "disjoint and covering");
        assertTrue(isSorted(train) && isSorted(heldOut), "original order kept");
        assertEquals(10, split.heldOut().numClasses());

        ImageDataset.Split again = data.split(0.2, 7);
        assertArrayEquals(heldOut, ids(again.heldOut()));
        assertArrayEquals(train, ids(again.train()));

        int[] otherSeed = ids(data.split(0.2, 8).heldOut());
        assertNotEquals(Arrays.toString(heldOut), Arrays.toString(otherSeed));
    }

    @Test
    void splitEdgeFractions() {
        ImageDataset data = indexed(10, 2);

        assertEquals(0, data.split(0.0, 1).heldOut().size());
        assertEquals(10, data.split(1.0, 1).heldOut().size());
        assertThrows(IllegalArgumentException.class, () -> data.split(1.5, 1));
        assertThrows(IllegalArgumentException.class, () -> data.split(Double.NaN, 1));
    }

    @Test
    void batchCountRoundsUp() {
        ImageDataset data = indexed(10, 2);

        assertEquals(4, data.batchCount(3));
        assertEquals(1, data.batchCount(10));
        assertEquals(1, data.batchCount(64));
        assertEquals(0, indexed(0, 1).batchCount(8));
        assertThrows(IllegalArgumentException.class, () -> data.batchCount(0));
    }

    private static boolean isSorted(int[] values) {
        for (int i = 1; i < values.length; i++) {
            if (values[i - 1] > values[i]) {
                return false;
            }
        }
        return true;
    }
}

package io.prunestream.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ImageDatasetBatchesTest {

    private static NDManager manager;

    @BeforeAll
    static void openManager() {
        manager = NDManager.newBaseManager();
    }

    @AfterAll
    static void closeManager() {
        manager.close();
    }

    @Test
    void shapesCountAndPartialLastBatch() {
        ImageDataset data = ImageDatasetTest.indexed(10, 3);
        List<Integer> sizes = new ArrayList<>();

        for (ImageDataset.Batch batch : data.batches(manager, 4, false, 0)) {
            try (batch) {
                int b = batch.size();
                sizes.add(b);
                assertEquals(new Shape(b, 1, 2, 2), batch.images().getShape());
                assertEquals(new Shape(b), batch.labels().getShape());
                assertEquals(DataType.FLOAT32, batch.images().getDataType());
                assertEquals(DataType.FLOAT32, batch.labels().getDataType());
            }
        }

        assertEquals(List.of(4, 4, 2), sizes);
        assertEquals(data.batchCount(4), sizes.size());
    }

    @Test
    void unshuffledBatchesFollowDatasetOrder() {
        ImageDataset data = ImageDatasetTest.indexed(5, 3);

        float[] labels = new float[0];
        for (ImageDataset.Batch batch : data.batches(manager, 2, false, 0)) {
            try (batch) {
                labels = concat(labels, batch.labels().toFloatArray());
            }
        }

        assertArrayEquals(new float[] {0, 1, 2, 0, 1}, labels);
        assertArrayEquals(new float[] {0, 1, 2, 3, 4}, imageIds(data, 2, false, 0));
    }

    @Test
    void shuffleIsSeededPermutation() {
        ImageDataset data = ImageDatasetTest.indexed(50, 5);

        float[] first = imageIds(data, 8, true, 42);
        float[] again = imageIds(data, 8, true, 42);
        float[] other = imageIds(data, 8, true, 43);

        assertArrayEquals(first, again);
        assertNotEquals(Arrays.toString(first), Arrays.toString(other));
        float[] sorted = first.clone();
        Arrays.sort(sorted);
        for (int i = 0; i < sorted.length; i++) {
            assertEquals(i, sorted[i], 0f);
        }
    }

    @Test
    void closingBatchFreesItsArrays() {
        ImageDataset data = ImageDatasetTest.indexed(3, 3);

        ImageDataset.Batch batch = data.batches(manager, 3, false, 0).iterator().next();
        batch.close();

        assertFalse(batch.manager().isOpen());
        assertTrue(batch.images().isReleased());
        assertTrue(batch.labels().isReleased());
        assertTrue(manager.isOpen(), "the parent manager stays usable");
    }

    /** The first pixel of every image in batch order: the image's index, see indexed(). */
    private static float[] imageIds(ImageDataset data, int batchSize, boolean shuffle, long seed) {
        float[] ids = new float[0];
        for (ImageDataset.Batch batch : data.batches(manager, batchSize, shuffle, seed)) {
            try (batch) {
                float[] pixels = batch.images().toFloatArray();
                float[] batchIds = new float[batch.size()];
                for (int i = 0; i < batchIds.length; i++) {
                    batchIds[i] = pixels[i * 4];
                }
                ids = concat(ids, batchIds);
            }
        }
        return ids;
    }

    private static float[] concat(float[] a, float[] b) {
        float[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}

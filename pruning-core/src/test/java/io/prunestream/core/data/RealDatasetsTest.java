package io.prunestream.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.prunestream.core.testing.RequiredData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Reads the real datasets; missing ones fail the test on CI and skip it elsewhere ({@link RequiredData}). */
class RealDatasetsTest {
    /** Third-party digits kept in the repository, in tf-bridge's test data (provenance in its README.md). */
    private static final Path MNIST_10K = Path.of("..", "tf-bridge", "src", "test", "resources", "testdata",
            "mnist-10k");

    @Test
    void fashionMnist() throws IOException {
        IdxDatasetFolder located = IdxDatasetFolder.locate(RequiredData.fashionMnist());
        ImageDataset train = located.train(Normalization.FASHION_MNIST);
        ImageDataset test = located.test(Normalization.FASHION_MNIST).orElseThrow();

        assertShape(train, 60_000);
        assertShape(test, 10_000);
        assertArrayEquals(filled(10, 6000), classCounts(train), "Fashion-MNIST train is balanced");
        assertArrayEquals(filled(10, 1000), classCounts(test), "Fashion-MNIST test is balanced");
        // The constants are the training set's own statistics, so it must come out standardised.
        assertEquals(0.0, mean(train), 0.005);
        assertEquals(1.0, std(train), 0.005);
    }

    @Test
    void mnist10kSingleSet() throws IOException {
        RequiredData.require(Files.isDirectory(MNIST_10K), "MNIST test data not found at "
                + MNIST_10K.toAbsolutePath().normalize() + ": it ships with the repository, so the checkout is "
                + "incomplete (git checkout -- tf-bridge/src/test/resources/testdata)");

        IdxDatasetFolder located = IdxDatasetFolder.locate(MNIST_10K);
        ImageDataset digits = located.train(Normalization.MNIST);

        assertShape(digits, 10_000);
        assertEquals(Optional.empty(), located.testFiles());
        // A 10k subset of MNIST train, re-quantised: close to, not exactly, the full-set stats.
        assertEquals(0.0, mean(digits), 0.05);
        assertEquals(1.0, std(digits), 0.05);
    }

    private static void assertShape(ImageDataset data, int size) {
        assertEquals(size, data.size());
        assertEquals(1, data.channels());
        assertEquals(28, data.height());
        assertEquals(28, data.width());
        assertEquals(10, data.numClasses());
    }

    private static int[] classCounts(ImageDataset data) {
        int[] counts = new int[data.numClasses()];
        for (int i = 0; i < data.size(); i++) {
            counts[data.labelAt(i)]++;
        }
        return counts;
    }

    private static int[] filled(int length, int value) {
        int[] values = new int[length];
        Arrays.fill(values, value);
        return values;
    }

    private static double mean(ImageDataset data) {
        double sum = 0;
        for (int i = 0; i < data.size(); i++) {
            for (float v : data.image(i)) {
                sum += v;
            }
        }
        return sum / ((double) data.size() * data.imageSize());
    }

    private static double std(ImageDataset data) {
        double mean = mean(data);
        double sum = 0;
        for (int i = 0; i < data.size(); i++) {
            for (float v : data.image(i)) {
                sum += (v - mean) * (v - mean);
            }
        }
        return Math.sqrt(sum / ((double) data.size() * data.imageSize()));
    }
}

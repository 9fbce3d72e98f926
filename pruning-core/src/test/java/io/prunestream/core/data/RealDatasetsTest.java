package io.prunestream.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** Reads the real datasets where they are installed; skipped, with the reason, elsewhere. */
class RealDatasetsTest {

    private static final Path MNIST_10K = Path.of("/work/shared/testdata/mnist-10k");

    @Test
    void fashionMnist() throws IOException {
        Optional<Path> folder = IdxDatasetFolder.fashionMnistIfPresent();
        Assumptions.assumeTrue(folder.isPresent(), "Fashion-MNIST not installed at "
                + IdxDatasetFolder.DEFAULT_FASHION_MNIST
                + ": apt-get install dataset-fashion-mnist");

        IdxDatasetFolder located = IdxDatasetFolder.locate(folder.get());
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
        Assumptions.assumeTrue(MNIST_10K.toFile().isDirectory(),
                "MNIST test data not present at " + MNIST_10K);

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

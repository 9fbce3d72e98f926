package io.prunestream.tf;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.prunestream.core.data.IdxReader;
import io.prunestream.core.data.ImageDataset;
import io.prunestream.core.data.Normalization;
import io.prunestream.core.data.IdxImages;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The third-party test data in src/test/resources/testdata (provenance in its README.md). */
final class TestData {
    static final Path ROOT = Path.of("src", "test", "resources", "testdata");
    static final Path KERAS_MNIST_CNN = ROOT.resolve("keras-mnist-cnn");
    static final Path MNIST = ROOT.resolve("mnist-10k");

    private TestData() {}

    static Path kerasMnistCnn() {
        assumeTrue(Files.isRegularFile(KERAS_MNIST_CNN.resolve("saved_model.pb")),
                "test data missing: " + KERAS_MNIST_CNN.toAbsolutePath());
        return KERAS_MNIST_CNN;
    }

    /** The first {@code n} digits scaled to [0, 1], as the imported package's InputSpec says. */
    static ImageDataset mnist(int n) {
        Path images = MNIST.resolve("images-idx3-ubyte.gz");
        assumeTrue(Files.isRegularFile(images), "test data missing: " + images.toAbsolutePath());
        try {
            IdxImages raw = IdxReader.readImages(images);
            int[] labels = IdxReader.readLabels(MNIST.resolve("labels-idx1-ubyte.gz"));
            float[] pixels = Normalization.UNIT_RANGE.apply(raw.pixels());
            return new ImageDataset(pixels, labels, 1, raw.rows(), raw.columns(), 10).head(n);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

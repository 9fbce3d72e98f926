package io.prunestream.tf;

import io.prunestream.core.data.IdxReader;
import io.prunestream.core.data.ImageDataset;
import io.prunestream.core.data.Normalization;
import io.prunestream.core.data.IdxImages;
import io.prunestream.core.testing.RequiredData;
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
        require(KERAS_MNIST_CNN.resolve("saved_model.pb"));
        return KERAS_MNIST_CNN;
    }

    /** The first {@code n} digits scaled to [0, 1], as the imported package's InputSpec says. */
    static ImageDataset mnist(int n) {
        Path images = MNIST.resolve("images-idx3-ubyte.gz");
        require(images);
        try {
            IdxImages raw = IdxReader.readImages(images);
            int[] labels = IdxReader.readLabels(MNIST.resolve("labels-idx1-ubyte.gz"));
            float[] pixels = Normalization.UNIT_RANGE.apply(raw.pixels());
            return new ImageDataset(pixels, labels, 1, raw.rows(), raw.columns(), 10).head(n);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The data ships with the repository, so a missing file means an incomplete checkout. */
    private static void require(Path file) {
        RequiredData.require(Files.isRegularFile(file), "test data missing: " + file.toAbsolutePath().normalize()
                + " (it ships with the repository under tf-bridge/" + ROOT + ": restore it with git checkout)");
    }
}

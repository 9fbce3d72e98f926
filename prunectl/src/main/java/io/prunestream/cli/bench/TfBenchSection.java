package io.prunestream.cli.bench;

import io.prunestream.tf.bench.TfBenchmark;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code prunectl bench tf}: the TensorFlow bridge benchmark on the Keras MNIST model and digits kept
 * with tf-bridge's test data (minutes, not hours).
 */
public final class TfBenchSection {
    public static final String NAME = "tf";
    static final String DATA = "tf-bridge/src/test/resources/testdata";

    private TfBenchSection() {}

    public static void run(PrintWriter out, Path doc, String command) {
        Path data = Path.of(System.getProperty("prunestream.home", ".")).resolve(DATA);
        if (!Files.isDirectory(data.resolve("keras-mnist-cnn"))) {
            throw new IllegalArgumentException("benchmark data not found at " + data.toAbsolutePath()
                    + " (run from the project folder, or through bin/prunectl)");
        }
        try (ScratchFolder work = ScratchFolder.create("prunestream-bench-tf")) {
            String body = new TfBenchmark(data.resolve("keras-mnist-cnn"), data.resolve("mnist-10k"), work.path(), out)
                    .run();
            BenchmarkDoc.writeSection(doc, NAME, BenchmarkDoc.header("TensorFlow bridge: import, export, two engines",
                    command) + body);
        }
    }
}

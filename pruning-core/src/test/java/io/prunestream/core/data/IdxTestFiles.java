package io.prunestream.core.data;

import io.prunestream.core.testing.SyntheticIdx;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;

/** Builds small IDX files for tests, whole or deliberately damaged. */
final class IdxTestFiles {

    private IdxTestFiles() {
    }

    /** idx3-ubyte bytes: header for count x rows x cols followed by {@code pixels}. */
    static byte[] images(int count, int rows, int cols, byte[] pixels) {
        return SyntheticIdx.images(count, rows, cols, pixels);
    }

    /** idx1-ubyte bytes holding {@code labels}. */
    static byte[] labels(int... labels) {
        return SyntheticIdx.labels(labels);
    }

    /** count images of rows x cols whose pixel i of image n is (n * 31 + i * 7) mod 256. */
    static byte[] patternPixels(int count, int rows, int cols) {
        byte[] pixels = new byte[count * rows * cols];
        int per = rows * cols;
        for (int n = 0; n < count; n++) {
            for (int i = 0; i < per; i++) {
                pixels[n * per + i] = (byte) ((n * 31 + i * 7) % 256);
            }
        }
        return pixels;
    }

    static byte[] gzip(byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    static byte[] cut(byte[] data, int length) {
        return Arrays.copyOf(data, length);
    }

    static Path write(Path file, byte[] data) {
        try {
            return Files.write(file, data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes a labelled set: 2x3 images, labels 0..numClasses-1 repeated. */
    static IdxPair writePair(Path folder, String imagesName, String labelsName, int count,
            int numClasses, boolean gzip) {
        byte[] images = images(count, 2, 3, patternPixels(count, 2, 3));
        int[] labelValues = new int[count];
        Arrays.setAll(labelValues, i -> i % numClasses);
        byte[] labels = labels(labelValues);
        return new IdxPair(
                write(folder.resolve(imagesName), gzip ? gzip(images) : images),
                write(folder.resolve(labelsName), gzip ? gzip(labels) : labels));
    }
}

package io.prunestream.core.data;

import static io.prunestream.core.data.IdxTestFiles.cut;
import static io.prunestream.core.data.IdxTestFiles.gzip;
import static io.prunestream.core.data.IdxTestFiles.images;
import static io.prunestream.core.data.IdxTestFiles.labels;
import static io.prunestream.core.data.IdxTestFiles.patternPixels;
import static io.prunestream.core.data.IdxTestFiles.write;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxReaderTest {

    @TempDir
    Path dir;

    @Test
    void readsPlainImages() throws IOException {
        byte[] pixels = patternPixels(3, 2, 4);
        Path file = write(dir.resolve("images-idx3-ubyte"), images(3, 2, 4, pixels));

        IdxImages read = IdxReader.readImages(file);

        assertEquals(3, read.count());
        assertEquals(2, read.rows());
        assertEquals(4, read.columns());
        assertArrayEquals(pixels, read.pixels());
    }

    @Test
    void readsGzippedImages() throws IOException {
        byte[] pixels = patternPixels(5, 3, 3);
        Path file = write(dir.resolve("images-idx3-ubyte.gz"), gzip(images(5, 3, 3, pixels)));

        assertArrayEquals(pixels, IdxReader.readImages(file).pixels());
    }

    @Test
    void detectsGzipByContentNotName() throws IOException {
        byte[] pixels = patternPixels(2, 2, 2);
        Path gzippedWithoutSuffix =
                write(dir.resolve("a-idx3-ubyte"), gzip(images(2, 2, 2, pixels)));
        Path plainWithSuffix = write(dir.resolve("b-idx3-ubyte.gz"), images(2, 2, 2, pixels));

        assertArrayEquals(pixels, IdxReader.readImages(gzippedWithoutSuffix).pixels());
        assertArrayEquals(pixels, IdxReader.readImages(plainWithSuffix).pixels());
    }

    @Test
    void readsLabelsAsUnsigned() throws IOException {
        Path plain = write(dir.resolve("labels"), labels(0, 9, 200, 255));
        Path gzipped = write(dir.resolve("labels.gz"), gzip(labels(3, 1)));

        assertArrayEquals(new int[] {0, 9, 200, 255}, IdxReader.readLabels(plain));
        assertArrayEquals(new int[] {3, 1}, IdxReader.readLabels(gzipped));
    }

    @Test
    void readsEmptySet() throws IOException {
        Path file = write(dir.resolve("empty"), images(0, 28, 28, new byte[0]));

        assertEquals(0, IdxReader.readImages(file).count());
    }

    @Test
    void truncatedPixelsNameFileAndSizes() {
        byte[] whole = images(10, 2, 5, patternPixels(10, 2, 5));
        Path file = write(dir.resolve("train-images-idx3-ubyte.gz"), gzip(cut(whole, 16 + 37)));

        DatasetException e = assertThrows(DatasetException.class, () -> IdxReader.readImages(file));

        assertEquals(file, e.path());
        assertEquals(file + ": truncated, expected 100 bytes of pixels, found 37", e.getMessage());
    }

    @Test
    void truncatedLabels() {
        Path file = write(dir.resolve("labels-idx1-ubyte"), cut(labels(1, 2, 3, 4), 10));

        DatasetException e = assertThrows(DatasetException.class, () -> IdxReader.readLabels(file));

        assertEquals(file + ": truncated, expected 4 bytes of labels, found 2", e.getMessage());
    }

    @Test
    void truncatedHeader() {
        Path file = write(dir.resolve("short"), new byte[] {0, 0, 8, 3, 0});

        DatasetException e = assertThrows(DatasetException.class, () -> IdxReader.readImages(file));

        assertEquals(file + ": truncated, expected 16 bytes of header, found 5", e.getMessage());
    }

    @Test
    void cutGzipStreamIsReportedWithFileName() {
        byte[] compressed = gzip(images(50, 10, 10, patternPixels(50, 10, 10)));
        Path file = write(dir.resolve("cut.gz"), cut(compressed, compressed.length / 2));

        DatasetException e = assertThrows(DatasetException.class, () -> IdxReader.readImages(file));

        assertTrue(e.getMessage().startsWith(file + ": "), e.getMessage());
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
    }

    @Test
    void wrongMagicNamesBothNumbers() {
        Path labelsFile = write(dir.resolve("labels-idx1-ubyte"), labels(1, 2));

        DatasetException e =
                assertThrows(DatasetException.class, () -> IdxReader.readImages(labelsFile));

        assertEquals(labelsFile + ": bad magic number 0x00000801, expected 0x00000803"
                + " (idx3-ubyte images)", e.getMessage());
    }

    @Test
    void imagesFileIsNotLabels() {
        Path imagesFile = write(dir.resolve("images"), images(1, 1, 1, new byte[] {7}));

        DatasetException e =
                assertThrows(DatasetException.class, () -> IdxReader.readLabels(imagesFile));

        assertTrue(e.getMessage().contains("bad magic number 0x00000803, expected 0x00000801"),
                e.getMessage());
    }

    @Test
    void invalidDimensions() {
        Path zeroRows = write(dir.resolve("zero"), images(1, 0, 4, new byte[0]));
        Path negativeCount = write(dir.resolve("negative"), images(-1, 2, 2, new byte[0]));

        assertEquals(zeroRows + ": invalid header, image size 0x4",
                assertThrows(DatasetException.class, () -> IdxReader.readImages(zeroRows))
                        .getMessage());
        assertEquals(negativeCount + ": invalid header, negative image count -1",
                assertThrows(DatasetException.class, () -> IdxReader.readImages(negativeCount))
                        .getMessage());
    }

    @Test
    void headerTooLargeForMemoryIsRejectedBeforeReading() {
        Path file = write(dir.resolve("huge"), images(100_000, 1000, 1000, new byte[0]));

        DatasetException e = assertThrows(DatasetException.class, () -> IdxReader.readImages(file));

        assertTrue(e.getMessage().contains("more than one array can hold"), e.getMessage());
    }

    @Test
    void trailingDataIsAnError() {
        byte[] whole = images(1, 1, 2, new byte[] {1, 2});
        byte[] withExtra = java.util.Arrays.copyOf(whole, whole.length + 3);
        Path file = write(dir.resolve("extra"), withExtra);

        DatasetException e = assertThrows(DatasetException.class, () -> IdxReader.readImages(file));

        assertEquals(file + ": unexpected data after the 2 bytes of pixels declared in the header",
                e.getMessage());
    }

    @Test
    void missingFile() {
        Path file = dir.resolve("absent-idx3-ubyte.gz");

        DatasetException e = assertThrows(DatasetException.class, () -> IdxReader.readImages(file));

        assertEquals(file + ": file not found", e.getMessage());
    }
}

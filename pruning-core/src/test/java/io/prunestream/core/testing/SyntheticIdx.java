package io.prunestream.core.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/** Folders of IDX files written on the spot, for tests that read IDX data but need no real images. */
public final class SyntheticIdx {
    static final int IMAGES_MAGIC = 0x00000803;
    static final int LABELS_MAGIC = 0x00000801;
    private static final int SIDE = 28;
    private static final int CLASSES = 10;

    private SyntheticIdx() {}

    /**
     * Writes a training set of {@code count} and a test set of {@code count / 4} (at least one) random
     * 28x28 images with labels 0-9, named as Fashion-MNIST's files are; returns {@code folder}.
     */
    public static Path fashionShaped(Path folder, int count, long seed) {
        write(folder, "train", count, seed);
        write(folder, "t10k", Math.max(1, count / 4), seed + 1);
        return folder;
    }

    /** Writes {@code <prefix>-images-idx3-ubyte} and {@code <prefix>-labels-idx1-ubyte} into {@code folder}. */
    public static void write(Path folder, String prefix, int count, long seed) {
        Random random = new Random(seed);
        byte[] pixels = new byte[count * SIDE * SIDE];
        random.nextBytes(pixels);
        int[] labels = random.ints(count, 0, CLASSES).toArray();
        try {
            Files.createDirectories(folder);
            Files.write(folder.resolve(prefix + "-images-idx3-ubyte"), images(count, SIDE, SIDE, pixels));
            Files.write(folder.resolve(prefix + "-labels-idx1-ubyte"), labels(labels));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** idx3-ubyte bytes: the header for count x rows x cols, then {@code pixels}. */
    public static byte[] images(int count, int rows, int cols, byte[] pixels) {
        ByteBuffer buffer = ByteBuffer.allocate(16 + pixels.length);
        buffer.putInt(IMAGES_MAGIC).putInt(count).putInt(rows).putInt(cols).put(pixels);
        return buffer.array();
    }

    /** idx1-ubyte bytes holding {@code labels}. */
    public static byte[] labels(int... labels) {
        ByteBuffer buffer = ByteBuffer.allocate(8 + labels.length);
        buffer.putInt(LABELS_MAGIC).putInt(labels.length);
        for (int label : labels) {
            buffer.put((byte) label);
        }
        return buffer.array();
    }
}

package io.prunestream.core.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.Arrays;
import java.util.Objects;

/**
 * An immutable, in-memory image classification dataset: {@code size()} images of
 * {@code channels x height x width} already-normalised floats (NCHW order) and an integer label
 * each.
 *
 * <p>Data stay in plain Java arrays and become NDArrays only per batch, so a dataset can be shared
 * by several models and engines without owning native memory.
 */
public final class ImageDataset {

    /** A train / held-out partition of a dataset; see {@link #split(double, long)}. */
    public record Split(ImageDataset train, ImageDataset heldOut) {
    }

    /**
     * One batch: {@code images} of shape (B, C, H, W) and {@code labels} of shape (B), both
     * float32 (DJL's SoftmaxCrossEntropyLoss takes float class indices). Both live in
     * {@code manager}, a sub-manager that {@link #close()} frees.
     */
    public record Batch(NDManager manager, NDArray images, NDArray labels)
            implements AutoCloseable {

        public int size() {
            return Math.toIntExact(images.getShape().get(0));
        }

        @Override
        public void close() {
            manager.close();
        }
    }

    private final float[] pixels;
    private final int[] labels;
    private final int channels;
    private final int height;
    private final int width;
    private final int numClasses;

    /**
     * Copies the arrays. {@code pixels} holds {@code labels.length} images of
     * {@code channels * height * width} floats; every label must lie in [0, numClasses).
     */
    public ImageDataset(float[] pixels, int[] labels, int channels, int height, int width,
            int numClasses) {
        this(pixels.clone(), labels.clone(), channels, height, width, numClasses, true);
    }

    /** Like the constructor, with {@code numClasses} = largest label + 1. */
    public static ImageDataset of(float[] pixels, int[] labels, int channels, int height,
            int width) {
        return new ImageDataset(pixels, labels, channels, height, width, classesIn(labels));
    }

    /** Like the constructor but takes ownership of freshly built arrays instead of copying. */
    static ImageDataset adopt(float[] pixels, int[] labels, int channels, int height, int width,
            int numClasses) {
        return new ImageDataset(pixels, labels, channels, height, width, numClasses, true);
    }

    /** Takes ownership of the arrays; only for arrays nobody else holds. */
    private ImageDataset(float[] pixels, int[] labels, int channels, int height, int width,
            int numClasses, boolean validate) {
        this.pixels = pixels;
        this.labels = labels;
        this.channels = channels;
        this.height = height;
        this.width = width;
        this.numClasses = numClasses;
        if (validate) {
            validate();
        }
    }

    private void validate() {
        if (channels <= 0 || height <= 0 || width <= 0) {
            throw new IllegalArgumentException("image shape must be positive, got "
                    + channels + "x" + height + "x" + width);
        }
        if (numClasses < 0) {
            throw new IllegalArgumentException(
                    "numClasses must not be negative, got " + numClasses);
        }
        long expected = (long) labels.length * channels * height * width;
        if (pixels.length != expected) {
            throw new IllegalArgumentException("expected " + expected + " pixel values for "
                    + labels.length + " images of " + channels + "x" + height + "x" + width
                    + ", got " + pixels.length);
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= numClasses) {
                throw new IllegalArgumentException("label " + labels[i] + " of image " + i
                        + " is outside [0, " + numClasses + ")");
            }
        }
    }

    /** Largest label + 1, or 0 for no labels. */
    static int classesIn(int[] labels) {
        return Arrays.stream(labels).max().orElse(-1) + 1;
    }

    public int size() {
        return labels.length;
    }

    public int channels() {
        return channels;
    }

    public int height() {
        return height;
    }

    public int width() {
        return width;
    }

    public int numClasses() {
        return numClasses;
    }

    /** Floats per image: channels * height * width. */
    public int imageSize() {
        return channels * height * width;
    }

    public int labelAt(int index) {
        return labels[index];
    }

    /** A copy of all labels. */
    public int[] labels() {
        return labels.clone();
    }

    /** The pixels themselves, not a copy: only for code in this package that does not change them. */
    float[] pixels() {
        return pixels;
    }

    /** A copy of one image's normalised pixels, CHW order. */
    public float[] image(int index) {
        int from = Objects.checkIndex(index, size()) * imageSize();
        return Arrays.copyOfRange(pixels, from, from + imageSize());
    }

    /** The images at {@code indices}, in that order; numClasses is kept. */
    public ImageDataset select(int[] indices) {
        int per = imageSize();
        float[] outPixels = new float[Math.multiplyExact(indices.length, per)];
        int[] outLabels = new int[indices.length];
        for (int i = 0; i < indices.length; i++) {
            int src = Objects.checkIndex(indices[i], size());
            System.arraycopy(pixels, src * per, outPixels, i * per, per);
            outLabels[i] = labels[src];
        }
        return new ImageDataset(outPixels, outLabels, channels, height, width, numClasses, false);
    }

    /** The first {@code n} images, or all of them if there are fewer. */
    public ImageDataset head(int n) {
        int[] indices = new int[countUpTo(n)];
        Arrays.setAll(indices, i -> i);
        return select(indices);
    }

    /**
     * {@code n} distinct images (all if there are fewer) drawn at random with {@code seed}, kept
     * in their original order.
     */
    public ImageDataset sample(int n, long seed) {
        int[] chosen = Arrays.copyOf(Permutations.shuffled(size(), seed), countUpTo(n));
        Arrays.sort(chosen);
        return select(chosen);
    }

    /**
     * Splits off round(size * heldOutFraction) random images. The two parts are disjoint, cover
     * the dataset, keep the original order and are the same for the same seed.
     */
    public Split split(double heldOutFraction, long seed) {
        if (!(heldOutFraction >= 0.0 && heldOutFraction <= 1.0)) {
            throw new IllegalArgumentException(
                    "heldOutFraction must be in [0, 1], got " + heldOutFraction);
        }
        int heldOutCount = (int) Math.round(size() * heldOutFraction);
        int[] order = Permutations.shuffled(size(), seed);
        int[] heldOut = Arrays.copyOfRange(order, 0, heldOutCount);
        int[] train = Arrays.copyOfRange(order, heldOutCount, order.length);
        Arrays.sort(heldOut);
        Arrays.sort(train);
        return new Split(select(train), select(heldOut));
    }

    /** Number of batches {@link #batches} yields, the last one possibly partial. */
    public int batchCount(int batchSize) {
        requirePositiveBatchSize(batchSize);
        return (size() + batchSize - 1) / batchSize;
    }

    /**
     * Batches of {@code batchSize} images (the last may be smaller), each created in a fresh
     * sub-manager of {@code manager}; close every batch once used. With {@code shuffle} the order
     * is a permutation drawn from {@code seed}: every iteration of the returned Iterable repeats
     * it, so pass a different seed per epoch.
     */
    public Iterable<Batch> batches(NDManager manager, int batchSize, boolean shuffle, long seed) {
        requirePositiveBatchSize(batchSize);
        return () -> new BatchIterator(this, manager, batchSize, shuffle, seed);
    }

    private static void requirePositiveBatchSize(int batchSize) {
        if (batchSize <= 0) {
            throw new IllegalArgumentException("batchSize must be positive, got " + batchSize);
        }
    }

    private int countUpTo(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("count must not be negative, got " + n);
        }
        return Math.min(n, size());
    }

    /** No copy: lets {@link BatchIterator} hand a freshly selected batch to DJL directly. */
    float[] pixelArray() {
        return pixels;
    }

    @Override
    public String toString() {
        return "ImageDataset[" + size() + " x " + channels + "x" + height + "x" + width + ", "
                + numClasses + " classes]";
    }
}

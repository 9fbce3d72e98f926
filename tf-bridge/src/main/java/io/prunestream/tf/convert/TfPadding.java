package io.prunestream.tf.convert;

/**
 * TensorFlow's padding modes against the package's single symmetric padding. SAME pads
 * {@code max((ceil(in/s) - 1) * s + k - in, 0)} pixels per axis, the odd pixel at the end; the
 * package can express that only when the total is even and equal on both axes.
 */
public final class TfPadding {
    public static final int NOT_SYMMETRIC = -1;

    private TfPadding() {}

    /** The symmetric padding that SAME amounts to for this input size, or {@link #NOT_SYMMETRIC}. */
    public static int same(int in, int kernel, int stride) {
        int out = (in + stride - 1) / stride;
        int total = Math.max((out - 1) * stride + kernel - in, 0);
        return total % 2 == 0 ? total / 2 : NOT_SYMMETRIC;
    }

    /** Symmetric padding for a square map, or {@link #NOT_SYMMETRIC} when SAME would be lopsided. */
    public static int same(int height, int width, int kernel, int stride) {
        int ph = same(height, kernel, stride);
        int pw = same(width, kernel, stride);
        return ph == pw ? ph : NOT_SYMMETRIC;
    }
}

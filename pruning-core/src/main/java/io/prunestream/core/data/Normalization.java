package io.prunestream.core.data;

/**
 * Maps a raw 8-bit pixel to {@code (pixel / 255 - mean) / std}.
 *
 * <p>Models must be evaluated with the statistics they were trained with, so the choice is kept
 * explicit here instead of being baked into the reader.
 */
public record Normalization(float mean, float std) {

    /** Per-pixel statistics of the Fashion-MNIST training set. */
    public static final Normalization FASHION_MNIST = new Normalization(0.2860f, 0.3530f);
    /** Per-pixel statistics of the MNIST training set. */
    public static final Normalization MNIST = new Normalization(0.1307f, 0.3081f);
    /** Pixels scaled to [0, 1] only. */
    public static final Normalization UNIT_RANGE = new Normalization(0f, 1f);

    public Normalization {
        if (!Float.isFinite(mean) || !Float.isFinite(std) || std <= 0f) {
            throw new IllegalArgumentException(
                    "normalization needs a finite mean and a positive std, got mean=" + mean
                            + " std=" + std);
        }
    }

    /** Normalises one pixel, read as unsigned. */
    public float apply(byte pixel) {
        return (Byte.toUnsignedInt(pixel) / 255f - mean) / std;
    }

    /** Normalises every pixel. */
    public float[] apply(byte[] pixels) {
        // Only 256 distinct inputs: a table keeps tens of millions of pixels cheap and
        // bit-identical to apply(byte).
        float[] table = new float[256];
        for (int v = 0; v < 256; v++) {
            table[v] = apply((byte) v);
        }
        float[] out = new float[pixels.length];
        for (int i = 0; i < pixels.length; i++) {
            out[i] = table[Byte.toUnsignedInt(pixels[i])];
        }
        return out;
    }
}

package io.prunestream.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class NormalizationTest {

    @Test
    void constants() {
        assertEquals(new Normalization(0.2860f, 0.3530f), Normalization.FASHION_MNIST);
        assertEquals(new Normalization(0.1307f, 0.3081f), Normalization.MNIST);
    }

    @Test
    void appliesScaleThenStatistics() {
        Normalization n = Normalization.FASHION_MNIST;

        assertEquals(-0.2860f / 0.3530f, n.apply((byte) 0), 1e-6f);
        assertEquals((1f - 0.2860f) / 0.3530f, n.apply((byte) 255), 1e-6f);
        assertEquals((128 / 255f - 0.2860f) / 0.3530f, n.apply((byte) 128), 1e-6f);
        assertEquals(128 / 255f, Normalization.UNIT_RANGE.apply((byte) 128), 0f);
    }

    @Test
    void bulkMatchesSinglePixel() {
        byte[] all = new byte[256];
        float[] expected = new float[256];
        for (int v = 0; v < 256; v++) {
            all[v] = (byte) v;
            expected[v] = Normalization.MNIST.apply((byte) v);
        }

        assertArrayEquals(expected, Normalization.MNIST.apply(all), 0f);
    }

    @Test
    void rejectsUnusableStd() {
        assertThrows(IllegalArgumentException.class, () -> new Normalization(0.5f, 0f));
        assertThrows(IllegalArgumentException.class, () -> new Normalization(Float.NaN, 1f));
    }
}

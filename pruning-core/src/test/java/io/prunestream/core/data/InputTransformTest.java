package io.prunestream.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;

class InputTransformTest {
    @Test
    void columnL2ScalesEachColumnOfEachChannelToUnitNorm() {
        // one image, 2 channels, 2 rows, 2 columns; the second channel's second column is all zero
        float[] x = {3, 1, 4, 1, 0, 0, 2, 0};
        float[] y = InputTransform.COLUMN_L2.apply(x, 1, 2, 2, 2);
        float s = (float) Math.sqrt(2);
        assertArrayEquals(new float[] {0.6f, 1 / s, 0.8f, 1 / s, 0, 0, 1, 0}, y, 1e-6f);
        assertArrayEquals(x, InputTransform.NONE.apply(x, 1, 2, 2, 2));
    }

    @Test
    void columnL2IgnoresScale() {
        float[] x = {10, 20, 30, 40};
        float[] scaled = {1, 2, 3, 4};
        assertArrayEquals(InputTransform.COLUMN_L2.apply(x, 1, 1, 2, 2), InputTransform.COLUMN_L2.apply(scaled, 1, 1, 2, 2),
                1e-6f);
    }
}

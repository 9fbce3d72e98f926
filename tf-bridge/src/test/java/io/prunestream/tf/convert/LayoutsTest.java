package io.prunestream.tf.convert;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.prunestream.core.model.Tensor;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LayoutsTest {
    private static Tensor random(int... shape) {
        Tensor t = Tensor.zeros(shape);
        Random r = new Random(1);
        for (int i = 0; i < t.size(); i++) {
            t.data()[i] = r.nextFloat();
        }
        return t;
    }

    @Test
    void convFilterMovesOutputChannelsFirst() {
        Tensor hwio = random(3, 2, 4, 5);
        Tensor oihw = Layouts.hwioToOihw(hwio);
        assertArrayEquals(new int[] {5, 4, 3, 2}, oihw.shape());
        // element [kh=2, kw=1, in=3, out=4] lands at [4, 3, 2, 1]
        assertEquals(hwio.data()[((2 * 2 + 1) * 4 + 3) * 5 + 4], oihw.data()[((4 * 4 + 3) * 3 + 2) * 2 + 1]);
        assertEquals(hwio, Layouts.oihwToHwio(oihw));
    }

    @Test
    void depthwiseChannelsAreInputTimesMultiplier() {
        Tensor hwcm = random(3, 3, 4, 2);
        Tensor oihw = Layouts.depthwiseToOihw(hwcm);
        assertArrayEquals(new int[] {8, 1, 3, 3}, oihw.shape());
        // input channel 3, multiplier 1 is output channel 3 * 2 + 1
        assertEquals(hwcm.data()[((1 * 3 + 2) * 4 + 3) * 2 + 1], oihw.data()[(7 * 3 + 1) * 3 + 2]);
        assertEquals(hwcm, Layouts.oihwToDepthwise(oihw, 4));
    }

    @Test
    void denseAfterKerasFlattenReordersFeaturesToChw() {
        int c = 3;
        int h = 2;
        int w = 2;
        Tensor kernel = random(c * h * w, 5);
        Tensor linear = Layouts.denseToLinear(kernel, new int[] {c, h, w});
        // feature (c=2, h=1, w=0): H-W-C index (1*2+0)*3+2 = 8, C-H-W index (2*2+1)*2+0 = 10
        for (int out = 0; out < 5; out++) {
            assertEquals(kernel.data()[8 * 5 + out], linear.data()[out * 12 + 10]);
        }
        assertEquals(kernel, Layouts.linearToDense(linear, new int[] {c, h, w}));
        assertEquals(Layouts.permute(kernel, 1, 0), Layouts.denseToLinear(kernel, null));
    }

    @Test
    void imagesGoChannelsLast() {
        float[] nchw = {1, 2, 3, 4, 10, 20, 30, 40};
        assertArrayEquals(new float[] {1, 10, 2, 20, 3, 30, 4, 40}, Layouts.nchwToNhwc(nchw, 1, 2, 2, 2));
    }

    @Test
    void samePaddingIsSymmetricOnlyWhenEven() {
        assertEquals(1, TfPadding.same(28, 3, 1));
        assertEquals(0, TfPadding.same(28, 2, 2));
        assertEquals(TfPadding.NOT_SYMMETRIC, TfPadding.same(28, 3, 2));
        assertEquals(1, TfPadding.same(27, 3, 2));
        assertEquals(TfPadding.NOT_SYMMETRIC, TfPadding.same(28, 27, 3, 2));
    }
}

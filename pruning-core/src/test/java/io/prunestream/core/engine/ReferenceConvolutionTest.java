package io.prunestream.core.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;

class ReferenceConvolutionTest {

    @Test
    void computesAHandWorkedExample() {
        // 1x1x3x3 input 1..9, one 2x2 filter [[1, 0], [0, -1]], stride 1, no padding: x[i][j] - x[i+1][j+1].
        ReferenceConvolution conv = new ReferenceConvolution(1, 1, 1, 3, 3, 2, 1, 0, 1);
        float[] x = {1, 2, 3, 4, 5, 6, 7, 8, 9};
        float[] w = {1, 0, 0, -1};
        assertArrayEquals(new double[] {-4, -4, -4, -4}, conv.forward(x, w, null));
        assertArrayEquals(new double[] {6, 6, 6, 6}, conv.forward(x, w, new float[] {10}));
        ReferenceConvolution.Gradients g = conv.backward(x, w, new float[] {1, 1, 1, 1});
        assertArrayEquals(new double[] {4}, g.bias());
        // dW[a][b] = sum of the inputs the tap (a, b) touched.
        assertArrayEquals(new double[] {1 + 2 + 4 + 5, 2 + 3 + 5 + 6, 4 + 5 + 7 + 8, 5 + 6 + 8 + 9}, g.weight());
        assertArrayEquals(new double[] {1, 1, 0, 1, 0, -1, 0, -1, -1}, g.input());
    }

    @Test
    void groupsSeeOnlyTheirOwnChannels() {
        // Two groups of one channel each (depthwise): channel 1's filter never reads channel 0.
        ReferenceConvolution conv = new ReferenceConvolution(1, 2, 2, 1, 1, 1, 1, 0, 2);
        assertArrayEquals(new double[] {2 * 3, 5 * 7}, conv.forward(new float[] {3, 7}, new float[] {2, 5}, null));
    }
}

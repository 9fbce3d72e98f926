package io.prunestream.tf.convert;

import io.prunestream.core.model.Tensor;

/**
 * Weight and activation layouts between TensorFlow (NHWC activations, HWIO filters, dense kernels
 * [in, out], Keras' Flatten in H-W-C order) and PruneStream packages (NCHW, OIHW, linear [out, in],
 * flatten in C-H-W order). Each conversion has its inverse, used by the exporter.
 */
public final class Layouts {
    private Layouts() {}

    /** Conv2D filter [kh, kw, in/groups, out] to [out, in/groups, kh, kw]. */
    public static Tensor hwioToOihw(Tensor hwio) {
        return permute(hwio, 3, 2, 0, 1);
    }

    public static Tensor oihwToHwio(Tensor oihw) {
        return permute(oihw, 2, 3, 1, 0);
    }

    /**
     * Depthwise filter [kh, kw, in, multiplier] to a grouped conv weight [in * multiplier, 1, kh, kw];
     * TensorFlow numbers output channel {@code c * multiplier + m}, which is the row-major order of
     * (in, multiplier), so the permutation is all that is needed.
     */
    public static Tensor depthwiseToOihw(Tensor hwcm) {
        Tensor t = permute(hwcm, 2, 3, 0, 1);
        int[] s = t.shape();
        return new Tensor(new int[] {s[0] * s[1], 1, s[2], s[3]}, t.data());
    }

    /** Inverse of {@link #depthwiseToOihw}: [in * multiplier, 1, kh, kw] to [kh, kw, in, multiplier]. */
    public static Tensor oihwToDepthwise(Tensor oihw, int inChannels) {
        int[] s = oihw.shape();
        Tensor cmhw = new Tensor(new int[] {inChannels, s[0] / inChannels, s[2], s[3]}, oihw.data());
        return permute(cmhw, 2, 3, 0, 1);
    }

    /**
     * Dense kernel [in, out] to linear weight [out, in]. When the input is a Keras Flatten of a
     * feature map {@code chw} (features in H-W-C order), the columns are also reordered to C-H-W,
     * the order of the package's flatten.
     */
    public static Tensor denseToLinear(Tensor kernel, int[] flattenedChw) {
        Tensor w = permute(kernel, 1, 0);
        return flattenedChw == null ? w : reorderColumns(w, flattenedChw, true);
    }

    /** Inverse of {@link #denseToLinear}. */
    public static Tensor linearToDense(Tensor weight, int[] flattenedChw) {
        Tensor w = flattenedChw == null ? weight : reorderColumns(weight, flattenedChw, false);
        return permute(w, 1, 0);
    }

    private static Tensor reorderColumns(Tensor w, int[] chw, boolean hwcToChw) {
        int rows = w.dim(0);
        int cols = w.dim(1);
        int c = chw[0];
        int h = chw[1];
        int wd = chw[2];
        if (cols != c * h * wd) {
            throw new IllegalArgumentException("linear weight has " + cols + " columns, flattened map has " + c * h * wd);
        }
        float[] in = w.data();
        float[] out = new float[in.length];
        for (int ci = 0; ci < c; ci++) {
            for (int hi = 0; hi < h; hi++) {
                for (int wi = 0; wi < wd; wi++) {
                    int chwIndex = (ci * h + hi) * wd + wi;
                    int hwcIndex = (hi * wd + wi) * c + ci;
                    int from = hwcToChw ? hwcIndex : chwIndex;
                    int to = hwcToChw ? chwIndex : hwcIndex;
                    for (int r = 0; r < rows; r++) {
                        out[r * cols + to] = in[r * cols + from];
                    }
                }
            }
        }
        return new Tensor(w.shape(), out);
    }

    /** A batch of NCHW images as NHWC. */
    public static float[] nchwToNhwc(float[] x, int n, int c, int h, int w) {
        Tensor t = permute(new Tensor(new int[] {n, c, h, w}, x), 0, 2, 3, 1);
        return t.data();
    }

    /** Transposes a dense tensor: output axis {@code i} is input axis {@code axes[i]}. */
    public static Tensor permute(Tensor t, int... axes) {
        int[] in = t.shape();
        int rank = in.length;
        if (axes.length != rank) {
            throw new IllegalArgumentException("permutation of rank " + axes.length + " for a tensor of rank " + rank);
        }
        int[] out = new int[rank];
        for (int i = 0; i < rank; i++) {
            out[i] = in[axes[i]];
        }
        int[] inStrides = strides(in);
        int[] strideOfOut = new int[rank];
        for (int i = 0; i < rank; i++) {
            strideOfOut[i] = inStrides[axes[i]];
        }
        float[] src = t.data();
        float[] dst = new float[src.length];
        int[] idx = new int[rank];
        int offset = 0;
        for (int o = 0; o < dst.length; o++) {
            dst[o] = src[offset];
            for (int d = rank - 1; d >= 0; d--) {
                idx[d]++;
                offset += strideOfOut[d];
                if (idx[d] < out[d]) {
                    break;
                }
                offset -= strideOfOut[d] * out[d];
                idx[d] = 0;
            }
        }
        return new Tensor(out, dst);
    }

    private static int[] strides(int[] shape) {
        int[] s = new int[shape.length];
        int acc = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            s[i] = acc;
            acc *= shape[i];
        }
        return s;
    }
}

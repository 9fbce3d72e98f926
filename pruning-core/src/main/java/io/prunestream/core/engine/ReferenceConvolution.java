package io.prunestream.core.engine;

/**
 * Convolution forward and backward in plain Java with double accumulators: slow, obvious and
 * independent of any engine, so it can judge one. Arrays are flat row-major NCHW, filters
 * {@code [out, in / groups, k, k]}.
 *
 * @param n batch size
 * @param in input channels
 * @param out output channels
 * @param height input height
 * @param width input width
 * @param kernel square kernel size
 * @param stride stride in both directions
 * @param padding zero padding on every side
 * @param groups channel groups (in and out must be multiples of it)
 */
public record ReferenceConvolution(int n, int in, int out, int height, int width, int kernel, int stride,
        int padding, int groups) {
    public ReferenceConvolution {
        if (groups < 1 || in % groups != 0 || out % groups != 0) {
            throw new IllegalArgumentException("channels " + in + " -> " + out + " do not split into " + groups
                    + " groups");
        }
    }

    public int outHeight() {
        return (height + 2 * padding - kernel) / stride + 1;
    }

    public int outWidth() {
        return (width + 2 * padding - kernel) / stride + 1;
    }

    public long[] inputShape() {
        return new long[] {n, in, height, width};
    }

    public long[] weightShape() {
        return new long[] {out, in / groups, kernel, kernel};
    }

    public long[] outputShape() {
        return new long[] {n, out, outHeight(), outWidth()};
    }

    /** The gradients of {@code sum(y * upstream)} with respect to the input, the filters and the bias. */
    public record Gradients(double[] input, double[] weight, double[] bias) {}

    public double[] forward(float[] x, float[] w, float[] bias) {
        int oh = outHeight();
        int ow = outWidth();
        double[] y = new double[n * out * oh * ow];
        eachTap((b, o, i, j, xi, wi) -> y[((b * out + o) * oh + i) * ow + j] += (double) x[xi] * w[wi]);
        if (bias != null) {
            for (int b = 0; b < n; b++) {
                for (int o = 0; o < out; o++) {
                    for (int p = 0; p < oh * ow; p++) {
                        y[(b * out + o) * oh * ow + p] += bias[o];
                    }
                }
            }
        }
        return y;
    }

    public Gradients backward(float[] x, float[] w, float[] upstream) {
        int oh = outHeight();
        int ow = outWidth();
        double[] dx = new double[x.length];
        double[] dw = new double[w.length];
        double[] db = new double[out];
        eachTap((b, o, i, j, xi, wi) -> {
            double g = upstream[((b * out + o) * oh + i) * ow + j];
            dx[xi] += g * w[wi];
            dw[wi] += g * x[xi];
        });
        for (int b = 0; b < n; b++) {
            for (int o = 0; o < out; o++) {
                for (int p = 0; p < oh * ow; p++) {
                    db[o] += upstream[(b * out + o) * oh * ow + p];
                }
            }
        }
        return new Gradients(dx, dw, db);
    }

    private interface Tap {
        void at(int b, int o, int i, int j, int inputIndex, int weightIndex);
    }

    /** Visits every (output element, input element, filter tap) triple that contributes. */
    private void eachTap(Tap tap) {
        int inG = in / groups;
        int outG = out / groups;
        int oh = outHeight();
        int ow = outWidth();
        for (int b = 0; b < n; b++) {
            for (int o = 0; o < out; o++) {
                int g = o / outG;
                for (int c = 0; c < inG; c++) {
                    int ic = g * inG + c;
                    for (int ki = 0; ki < kernel; ki++) {
                        for (int kj = 0; kj < kernel; kj++) {
                            int wi = ((o * inG + c) * kernel + ki) * kernel + kj;
                            for (int i = 0; i < oh; i++) {
                                int hi = i * stride - padding + ki;
                                if (hi < 0 || hi >= height) {
                                    continue;
                                }
                                for (int j = 0; j < ow; j++) {
                                    int wj = j * stride - padding + kj;
                                    if (wj >= 0 && wj < width) {
                                        tap.at(b, o, i, j, ((b * in + ic) * height + hi) * width + wj, wi);
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

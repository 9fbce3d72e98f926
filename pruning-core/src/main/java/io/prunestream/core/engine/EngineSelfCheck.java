package io.prunestream.core.engine;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import ai.djl.training.GradientCollector;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Runs a convolution kernel forward and backward on shapes chosen to catch layout bugs, and compares
 * every output and gradient with {@link ReferenceConvolution}. The shapes mix channel counts that are
 * multiples of 16, of 8 only, and of neither, on both sides of the convolution, with plain,
 * depthwise and grouped filters, strides, odd spatial sizes and bias; plus a linear layer of odd
 * width. Each case runs twice because the known engine fault gives different garbage from run to run.
 * It takes well under a second and runs before a process computes anything it reports.
 */
public final class EngineSelfCheck {
    /** One convolution shape to check. */
    record Case(int in, int out, int size, int kernel, int stride, int padding, int groups, boolean bias) {
        ReferenceConvolution reference() {
            return new ReferenceConvolution(BATCH, in, out, size, size, kernel, stride, padding, groups);
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "conv %d->%d k%d s%d g%d %dx%d", in, out, kernel, stride, groups, size,
                    size);
        }
    }

    static final int BATCH = 2;
    static final List<Case> CASES = List.of(
            new Case(1, 20, 9, 3, 1, 1, 1, true), // a grey stem into an unaligned width
            new Case(3, 16, 9, 3, 2, 1, 1, false), // an RGB stem, strided
            new Case(20, 24, 7, 3, 1, 1, 1, false), // neither side a multiple of 16 (24 is one of 8)
            new Case(17, 33, 7, 1, 1, 0, 1, true), // pointwise, odd on both sides
            new Case(40, 12, 9, 3, 2, 1, 1, false), // strided, narrowing
            new Case(48, 56, 7, 3, 1, 1, 1, false), // wide input block, output a multiple of 8 only
            new Case(24, 24, 7, 3, 1, 1, 24, false), // depthwise, unaligned
            new Case(20, 40, 7, 3, 2, 1, 20, true), // depthwise with channel multiplier 2
            new Case(12, 20, 7, 3, 1, 1, 2, false), // grouped
            new Case(16, 32, 7, 3, 1, 1, 1, true)); // aligned control
    static final int REPEATS = 2;

    private EngineSelfCheck() {}

    /** Checks {@code kernel} on the engine's default device (and on the CPU, when that is another one). */
    public static SelfCheckResult check(ConvolutionKernel kernel) {
        long start = System.nanoTime();
        List<SelfCheckResult.Comparison> found = new ArrayList<>();
        Device main = Engine.getInstance().defaultDevice();
        List<Device> devices = main.equals(Device.cpu()) ? List.of(main) : List.of(main, Device.cpu());
        SplittableRandom random = new SplittableRandom(20261130L);
        for (Device device : devices) {
            String where = devices.size() > 1 ? " on " + device : "";
            try (NDManager manager = NDManager.newBaseManager(device)) {
                for (int r = 0; r < REPEATS; r++) {
                    for (Case c : CASES) {
                        checkConvolution(kernel, c, manager, random, where, found);
                    }
                    checkLinear(manager, random, where, found);
                }
            }
        }
        return new SelfCheckResult(kernel.toString(), found, (System.nanoTime() - start) / 1_000_000);
    }

    private static void checkConvolution(ConvolutionKernel kernel, Case c, NDManager parent, SplittableRandom random,
            String where, List<SelfCheckResult.Comparison> found) {
        ReferenceConvolution ref = c.reference();
        float[] x = uniform(random, product(ref.inputShape()));
        float[] w = uniform(random, product(ref.weightShape()));
        float[] b = c.bias() ? uniform(random, c.out()) : null;
        float[] g = uniform(random, product(ref.outputShape()));
        try (NDManager m = parent.newSubManager()) {
            NDArray xa = m.create(x, new Shape(ref.inputShape()));
            NDArray wa = m.create(w, new Shape(ref.weightShape()));
            NDArray ba = b == null ? null : m.create(b, new Shape(c.out()));
            NDArray ga = m.create(g, new Shape(ref.outputShape()));
            xa.setRequiresGradient(true);
            wa.setRequiresGradient(true);
            if (ba != null) {
                ba.setRequiresGradient(true);
            }
            float[] y;
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray out = kernel.conv2d(xa, wa, ba, c.stride(), c.padding(), c.groups());
                y = shapeChecked(out, ref.outputShape(), c.toString());
                collector.backward(out.mul(ga).sum());
            }
            ReferenceConvolution.Gradients grads = ref.backward(x, w, g);
            String name = c + where + ": ";
            found.add(compare(name + "forward", y, ref.forward(x, w, b)));
            found.add(compare(name + "grad input", xa.getGradient().toFloatArray(), grads.input()));
            found.add(compare(name + "grad weight", wa.getGradient().toFloatArray(), grads.weight()));
            if (ba != null) {
                found.add(compare(name + "grad bias", ba.getGradient().toFloatArray(), grads.bias()));
            }
        }
    }

    /** A linear layer of odd widths: the other op every pruned model computes with changed shapes. */
    private static void checkLinear(NDManager parent, SplittableRandom random, String where,
            List<SelfCheckResult.Comparison> found) {
        int n = 5;
        int in = 37;
        int out = 19;
        float[] x = uniform(random, n * in);
        float[] w = uniform(random, out * in);
        float[] g = uniform(random, n * out);
        try (NDManager m = parent.newSubManager()) {
            NDArray xa = m.create(x, new Shape(n, in));
            NDArray wa = m.create(w, new Shape(out, in));
            NDArray ga = m.create(g, new Shape(n, out));
            xa.setRequiresGradient(true);
            wa.setRequiresGradient(true);
            float[] y;
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray result = Linear.linear(xa, wa, null).singletonOrThrow();
                y = result.toFloatArray();
                collector.backward(result.mul(ga).sum());
            }
            double[] yRef = new double[n * out];
            double[] dx = new double[n * in];
            double[] dw = new double[out * in];
            for (int b = 0; b < n; b++) {
                for (int o = 0; o < out; o++) {
                    for (int i = 0; i < in; i++) {
                        yRef[b * out + o] += (double) x[b * in + i] * w[o * in + i];
                        dx[b * in + i] += (double) g[b * out + o] * w[o * in + i];
                        dw[o * in + i] += (double) g[b * out + o] * x[b * in + i];
                    }
                }
            }
            String name = "linear " + in + "->" + out + where + ": ";
            found.add(compare(name + "forward", y, yRef));
            found.add(compare(name + "grad input", xa.getGradient().toFloatArray(), dx));
            found.add(compare(name + "grad weight", wa.getGradient().toFloatArray(), dw));
        }
    }

    private static float[] shapeChecked(NDArray out, long[] expected, String what) {
        if (!out.getShape().equals(new Shape(expected))) {
            throw new IllegalStateException(what + ": the kernel returned shape " + out.getShape() + ", expected "
                    + new Shape(expected));
        }
        return out.toFloatArray();
    }

    /**
     * Float32 sums of a few hundred terms of magnitude up to a few units err by about 1e-6; the fault
     * this guards against errs by about 1 or gives NaN. The tolerance scales with the largest reference
     * value so that wide sums are not judged by the error of narrow ones.
     */
    static SelfCheckResult.Comparison compare(String what, float[] actual, double[] expected) {
        double scale = 1;
        for (double e : expected) {
            scale = Math.max(scale, Math.abs(e));
        }
        double tolerance = 1e-4 * scale;
        if (actual.length != expected.length) {
            return new SelfCheckResult.Comparison(what + " (" + actual.length + " values, expected "
                    + expected.length + ")", Double.NaN, tolerance);
        }
        double max = 0;
        for (int i = 0; i < actual.length; i++) {
            double d = Math.abs(actual[i] - expected[i]);
            if (!(d <= max)) {
                max = Double.isFinite(d) ? d : Double.NaN;
                if (Double.isNaN(max)) {
                    break;
                }
            }
        }
        return new SelfCheckResult.Comparison(what, max, tolerance);
    }

    private static float[] uniform(SplittableRandom random, int count) {
        float[] v = new float[count];
        for (int i = 0; i < count; i++) {
            v[i] = (float) (random.nextDouble() * 2 - 1);
        }
        return v;
    }

    private static int product(long[] shape) {
        long p = 1;
        for (long d : shape) {
            p *= d;
        }
        return Math.toIntExact(p);
    }
}

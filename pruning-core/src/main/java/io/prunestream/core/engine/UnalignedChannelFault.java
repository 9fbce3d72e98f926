package io.prunestream.core.engine;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * A deliberately wrong convolution that behaves like the oneDNN fault seen on AVX-512 CPUs: correct
 * when both channel counts are aligned, wrong in forward and backward when either is not. It adds a
 * constant to the input channels and filters of the partly filled last block, so outputs, input
 * gradients and filter gradients all go wrong. It exists to prove, on machines whose engine is
 * right, that the self-check catches such a fault and that the configuration it then chooses
 * computes correct numbers: set {@code PRUNESTREAM_ENGINE_FAULT=unaligned-channels} (or the system
 * property {@code prunestream.engine.fault}) to run any process on a simulated faulty CPU.
 */
public final class UnalignedChannelFault implements ConvolutionKernel {
    public static final String NAME = "unaligned-channels";
    private static final float GARBAGE = 0.5f;
    private final ConvolutionKernel delegate;
    private final ChannelAlignment alignment = ChannelAlignment.standard();

    public UnalignedChannelFault(ConvolutionKernel delegate) {
        this.delegate = delegate;
    }

    @Override
    public NDArray conv2d(NDArray x, NDArray weight, NDArray bias, int stride, int padding, int groups) {
        NDManager m = x.getManager();
        NDArray xs = x;
        NDArray ws = weight;
        long in = x.getShape().get(1);
        long out = weight.getShape().get(0);
        if (alignment.unaligned(in)) {
            xs = x.add(tail(m, in, new Shape(1, in, 1, 1)));
        }
        if (alignment.unaligned(out)) {
            ws = weight.add(tail(m, out, new Shape(out, 1, 1, 1)));
            ws.attach(m);
        }
        return delegate.conv2d(xs, ws, bias, stride, padding, groups);
    }

    /** {@link #GARBAGE} on the channels of the last, partly filled block; zero elsewhere. */
    private NDArray tail(NDManager m, long count, Shape shape) {
        float[] v = new float[(int) count];
        for (long c = count / alignment.block() * alignment.block(); c < count; c++) {
            v[(int) c] = GARBAGE;
        }
        return m.create(v, shape);
    }

    @Override
    public String toString() {
        return "faulty(" + NAME + ", " + delegate + ")";
    }
}

package io.prunestream.core.engine;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;

/**
 * A convolution that hands its delegate only aligned channel counts: inputs, filters and biases are
 * padded with zero channels, and the padded outputs are sliced off again. Zero input channels meet
 * zero filter taps, so the padded convolution computes exactly the original one; in backward the
 * slice passes a zero gradient to the padded outputs and the concatenations drop the gradient of the
 * padding, so training sees exactly the original gradients too. An aligned convolution goes straight
 * to the delegate, so aligned models pay nothing.
 *
 * <p>Depthwise convolutions (one input channel per group) pad the number of groups; other grouped
 * convolutions pad each group so that the total is aligned. Every array made here belongs to the
 * input's manager (a batch's), never to the parameters' manager, which would keep them alive for as
 * long as the model.
 */
public final class AlignedConvolution implements ConvolutionKernel {
    private final ConvolutionKernel delegate;
    private final ChannelAlignment alignment;

    public AlignedConvolution(ConvolutionKernel delegate, ChannelAlignment alignment) {
        this.delegate = delegate;
        this.alignment = alignment;
    }

    @Override
    public NDArray conv2d(NDArray x, NDArray weight, NDArray bias, int stride, int padding, int groups) {
        long in = x.getShape().get(1);
        long out = weight.getShape().get(0);
        if (!alignment.unaligned(in) && !alignment.unaligned(out)) {
            return delegate.conv2d(x, weight, bias, stride, padding, groups);
        }
        Scratch s = new Scratch(x.getManager());
        long inPerGroup = in / groups;
        if (groups > 1 && inPerGroup == 1) {
            return padGroups(s, x, weight, bias, stride, padding, groups);
        }
        return padWithinGroups(s, x, weight, bias, stride, padding, groups);
    }

    /** Depthwise (with any channel multiplier): appends whole zero groups. */
    private NDArray padGroups(Scratch s, NDArray x, NDArray weight, NDArray bias, int stride, int padding,
            int groups) {
        long multiplier = weight.getShape().get(0) / groups;
        long paddedGroups = Math.max(alignment.padded(groups), alignment.paddedPerGroup(groups, multiplier));
        long extra = paddedGroups - groups;
        NDArray y = delegate.conv2d(s.pad(x, 1, extra), s.pad(weight, 0, extra * multiplier),
                bias == null ? null : s.pad(bias, 0, extra * multiplier), stride, padding, (int) paddedGroups);
        return y.get(new NDIndex(":, :{}", groups * multiplier));
    }

    private NDArray padWithinGroups(Scratch s, NDArray x, NDArray weight, NDArray bias, int stride, int padding,
            int groups) {
        Shape xs = x.getShape();
        Shape ws = weight.getShape();
        long inG = ws.get(1);
        long outG = ws.get(0) / groups;
        long inG2 = alignment.paddedPerGroup(inG, groups);
        long outG2 = alignment.paddedPerGroup(outG, groups);
        NDArray xp = s.padPerGroup(x, groups, inG, inG2, xs.get(0), xs.get(2), xs.get(3));
        NDArray wp = s.pad(weight, 1, inG2 - inG);
        wp = s.padFilters(wp, groups, outG, outG2);
        NDArray bp = bias == null ? null : s.padPerGroup(bias, groups, outG, outG2);
        NDArray y = delegate.conv2d(xp, wp, bp, stride, padding, groups);
        Shape ys = y.getShape();
        if (groups == 1) {
            return y.get(new NDIndex(":, :{}", outG));
        }
        return y.reshape(ys.get(0), groups, outG2, ys.get(2), ys.get(3))
                .get(new NDIndex(":, :, :{}", outG))
                .reshape(ys.get(0), groups * outG, ys.get(2), ys.get(3));
    }

    @Override
    public String toString() {
        return "aligned(" + alignment.block() + ", " + delegate + ")";
    }

    /** Padding helpers whose results all live in one (batch) manager. */
    private static final class Scratch {
        private final NDManager manager;

        Scratch(NDManager manager) {
            this.manager = manager;
        }

        private NDArray own(NDArray a) {
            if (a.getManager() != manager) {
                a.attach(manager);
            }
            return a;
        }

        /** {@code a} with {@code extra} zero slices appended along {@code axis}. */
        NDArray pad(NDArray a, int axis, long extra) {
            if (extra == 0) {
                return a;
            }
            long[] dims = a.getShape().getShape().clone(); // the array is the shape itself, not a copy
            dims[axis] = extra;
            NDArray zeros = manager.zeros(new Shape(dims), a.getDataType(), a.getDevice());
            return own(NDArrays.concat(new NDList(a, zeros), axis));
        }

        /** An NCHW activation {@code [n, groups * c, h, w]} padded to {@code [n, groups * c2, h, w]}. */
        NDArray padPerGroup(NDArray a, int groups, long c, long c2, long n, long h, long w) {
            if (c2 == c) {
                return a;
            }
            if (groups == 1) {
                return pad(a, 1, c2 - c);
            }
            NDArray grouped = own(a.reshape(n, groups, c, h, w));
            return own(pad(grouped, 2, c2 - c).reshape(n, groups * c2, h, w));
        }

        /** Filters {@code [groups * c, in, k, k]} padded to {@code [groups * c2, in, k, k]}. */
        NDArray padFilters(NDArray a, int groups, long c, long c2) {
            if (c2 == c) {
                return a;
            }
            if (groups == 1) {
                return pad(a, 0, c2 - c);
            }
            long[] dims = a.getShape().getShape().clone(); // the array is the shape itself, not a copy
            dims[0] = groups * c2;
            return own(pad(own(a.reshape(groups, c, -1)), 1, c2 - c).reshape(new Shape(dims)));
        }

        /** A bias {@code [groups * c]} padded to {@code [groups * c2]}. */
        NDArray padPerGroup(NDArray a, int groups, long c, long c2) {
            if (c2 == c) {
                return a;
            }
            if (groups == 1) {
                return pad(a, 0, c2 - c);
            }
            return own(pad(own(a.reshape(groups, c)), 1, c2 - c).reshape(groups * c2));
        }
    }
}

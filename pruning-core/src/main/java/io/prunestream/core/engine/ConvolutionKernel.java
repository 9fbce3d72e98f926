package io.prunestream.core.engine;

import ai.djl.ndarray.NDArray;

/**
 * A 2-D convolution over NCHW arrays, differentiable on the engine (it is used inside gradient
 * collectors). Every convolution PruneStream computes goes through one of these, so the process can
 * swap the engine's kernel for a corrected one after {@link EngineSelfCheck} has judged it.
 */
@FunctionalInterface
public interface ConvolutionKernel {
    /**
     * @param x input {@code [N, C, H, W]}
     * @param weight {@code [out, C / groups, k, k]}
     * @param bias {@code [out]}, or {@code null}
     */
    NDArray conv2d(NDArray x, NDArray weight, NDArray bias, int stride, int padding, int groups);

    /** The engine's own convolution (DJL's {@code Conv2d.conv2d}, oneDNN inside libtorch on CPUs). */
    static ConvolutionKernel engine() {
        return EngineConvolution.INSTANCE;
    }
}

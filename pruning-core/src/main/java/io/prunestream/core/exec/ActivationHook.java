package io.prunestream.core.exec;

import ai.djl.ndarray.NDArray;
import io.prunestream.core.model.NodeSpec;

/**
 * Sees, and may replace, each node's output during a forward pass. Activation criteria record
 * outputs here; gradient criteria and soft masks replace them (for example {@code out.add(leaf)}
 * with a zero leaf that requires a gradient, or {@code out.mul(mask)}).
 */
@FunctionalInterface
public interface ActivationHook {
    NDArray onOutput(NodeSpec node, NDArray output);
}

package io.prunestream.core.train;

import ai.djl.ndarray.NDArray;
import io.prunestream.core.exec.PackageBlock;

/**
 * A term added to the training loss that depends on the weights alone (a sparsity prior, for example).
 * {@link ModelTrainer} evaluates it inside the gradient collector on every step, so whatever gradient
 * (or subgradient) the engine's autograd gives it moves the weights together with the data loss.
 */
public interface Penalty {
    /** Short name for logs and reports. */
    String name();

    /** The penalty's value as a scalar computed from {@code block}'s parameter arrays (with their gradients). */
    NDArray value(PackageBlock block);
}

package io.prunestream.core.cost;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.prunestream.core.exec.BatchNormFolding;
import io.prunestream.core.exec.ModelRunner;
import io.prunestream.core.model.InputSpec;
import io.prunestream.core.model.ModelPackage;

/**
 * A package copied once to a DJL device in its inference form ({@link BatchNormFolding}: BN folded
 * into the convolutions, as any deployment would run it), timed one inference forward pass at a time.
 */
public final class PackageForward implements TimedForward {
    private final ModelRunner runner;
    private final Device device;

    private PackageForward(ModelRunner runner, Device device) {
        this.runner = runner;
        this.device = device;
    }

    public static PackageForward open(ModelPackage model, Device device) {
        return new PackageForward(new ModelRunner(BatchNormFolding.fold(model), device), device);
    }

    @Override
    public String device() {
        return device.toString();
    }

    @Override
    public double forwardMs(int batchSize) {
        InputSpec in = runner.block().graph().spec().input();
        try (NDManager run = runner.manager().newSubManager()) {
            NDArray x = run.randomNormal(new Shape(batchSize, in.channels(), in.height(), in.width()));
            long start = System.nanoTime();
            NDArray y = runner.block().forward(runner.store(), new NDList(x), false).singletonOrThrow();
            // Reading one scalar waits for an asynchronous device without copying the logits back.
            y.sum().getFloat();
            return (System.nanoTime() - start) / 1e6;
        }
    }

    @Override
    public void close() {
        runner.close();
    }
}

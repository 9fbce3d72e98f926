package io.prunestream.core.exec;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.prunestream.core.model.ModelPackage;
import io.prunestream.core.model.ModelSpec;

/**
 * Owns an engine-side copy of a package: a manager on the chosen device, the {@link PackageBlock}
 * and a parameter store. Closing it frees every native array it made.
 */
public final class ModelRunner implements AutoCloseable {
    private final NDManager manager;
    private final PackageBlock block;
    private final ParameterStore store;

    public ModelRunner(ModelPackage pkg) {
        this(pkg, Engine.getInstance().defaultDevice());
    }

    public ModelRunner(ModelPackage pkg, Device device) {
        this.manager = NDManager.newBaseManager(device);
        this.block = new PackageBlock(pkg, manager);
        this.store = new ParameterStore(manager, false);
    }

    public NDManager manager() {
        return manager;
    }

    public PackageBlock block() {
        return block;
    }

    public ParameterStore store() {
        return store;
    }

    /** Logits for a batch held as a flat NCHW float array; returns {@code [batch][classes]}. */
    public float[][] logits(float[] images, int batch) {
        ModelSpec spec = block.graph().spec();
        try (NDManager sub = manager.newSubManager()) {
            NDArray x = sub.create(images, new Shape(batch, spec.input().channels(), spec.input().height(),
                    spec.input().width()));
            NDArray y = block.forward(store, new ai.djl.ndarray.NDList(x), false).singletonOrThrow();
            float[] flat = y.toFloatArray();
            int classes = spec.classes();
            float[][] out = new float[batch][classes];
            for (int b = 0; b < batch; b++) {
                System.arraycopy(flat, b * classes, out[b], 0, classes);
            }
            return out;
        }
    }

    @Override
    public void close() {
        manager.close();
    }
}

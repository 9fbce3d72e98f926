package io.prunestream.core.importance;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import ai.djl.training.loss.Loss;
import io.prunestream.core.data.ImageDataset;
import io.prunestream.core.exec.ActivationHook;
import io.prunestream.core.exec.ModelRunner;
import io.prunestream.core.model.ModelPackage;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Runs the calibration sample through a model in inference mode (BN on its running statistics, so
 * examples do not influence each other) and shows the visitor, batch by batch, chosen tensors and,
 * on request, the gradient of the loss with respect to them. It is the one place where activation
 * criteria touch the engine.
 *
 * <p>Tensors reach the visitor as {@code [batch, channels, positions]}: feature maps with their
 * spatial axes merged, flat tensors with one position per feature. Gradients are those of the
 * <em>summed</em> cross-entropy, so an example's gradient is that of its own loss; a zero leaf added
 * to each tensor carries them, because DJL returns no gradient for non-leaf arrays. Everything a
 * batch creates is freed with the batch's sub-manager.
 */
final class ActivationProbe {
    /** Sees one batch; arrays are valid only during the call. */
    @FunctionalInterface
    interface Visitor {
        void batch(Map<String, NDArray> activations, Map<String, NDArray> gradients);
    }

    private final Loss crossEntropy = Loss.softmaxCrossEntropyLoss();

    void run(ModelPackage model, CalibrationData data, Set<String> tensors, boolean withGradients, Visitor visitor) {
        try (ModelRunner runner = new ModelRunner(model)) {
            for (ImageDataset.Batch batch : data.sample().batches(runner.manager(), data.batchSize(), false, 0)) {
                try (batch) {
                    runBatch(runner, batch, tensors, withGradients, visitor);
                }
            }
        }
    }

    private void runBatch(ModelRunner runner, ImageDataset.Batch batch, Set<String> tensors, boolean withGradients,
            Visitor visitor) {
        NDManager manager = batch.manager();
        Map<String, NDArray> activations = new HashMap<>();
        Map<String, NDArray> leaves = new HashMap<>();
        ActivationHook hook = (node, out) -> {
            if (!tensors.contains(node.id())) {
                return out;
            }
            NDArray seen = out;
            if (withGradients) {
                NDArray leaf = manager.zeros(out.getShape(), out.getDataType());
                leaf.setRequiresGradient(true);
                leaves.put(node.id(), leaf);
                seen = out.add(leaf);
            }
            activations.put(node.id(), seen);
            return seen;
        };
        String output = runner.block().graph().spec().output();
        Map<String, NDArray> gradients = new HashMap<>();
        if (withGradients) {
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray logits = runner.block().forwardNodes(runner.store(), batch.images(), false, hook).get(output);
                NDArray loss = crossEntropy.evaluate(new NDList(batch.labels()), new NDList(logits))
                        .mul(batch.size());
                collector.backward(loss);
            }
            leaves.forEach((id, leaf) -> gradients.put(id, byChannel(leaf.getGradient())));
        } else {
            runner.block().forwardNodes(runner.store(), batch.images(), false, hook);
        }
        Map<String, NDArray> shaped = new HashMap<>();
        activations.forEach((id, a) -> shaped.put(id, byChannel(a)));
        visitor.batch(shaped, gradients);
    }

    /** {@code [B, C, H, W]} → {@code [B, C, H*W]}; {@code [B, F]} → {@code [B, F, 1]}. */
    static NDArray byChannel(NDArray a) {
        long[] s = a.getShape().getShape();
        long positions = 1;
        for (int i = 2; i < s.length; i++) {
            positions *= s[i];
        }
        return a.reshape(s[0], s[1], positions);
    }
}

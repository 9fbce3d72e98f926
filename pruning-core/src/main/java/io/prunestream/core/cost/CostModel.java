package io.prunestream.core.cost;

import io.prunestream.core.model.ModelGraph;
import io.prunestream.core.model.ModelSpec;
import io.prunestream.core.model.NodeSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * Counts cost from the spec alone. "FLOPs" in PruneStream means multiply-accumulates (MACs) per
 * sample of conv and linear layers, the convention of most pruning papers and of thop: a conv costs
 * {@code H_out * W_out * C_out * (C_in / groups) * k * k}, a linear layer {@code in * out}. Bias
 * adds, BN, activations, pooling and residual adds are left out: BN folds into the conv at deploy
 * time and the rest is below 1% on every zoo model. Parameters are the trainable ones (conv and
 * linear weights and biases, BN gamma and beta); BN running statistics are buffers, not counted.
 */
public final class CostModel {
    private CostModel() {}

    public static CostReport of(ModelSpec spec) {
        return of(ModelGraph.of(spec));
    }

    public static CostReport of(ModelGraph graph) {
        List<NodeCost> nodes = new ArrayList<>();
        for (NodeSpec n : graph.order()) {
            int[] out = graph.shape(n.id());
            int[] in = graph.shape(n.input());
            long macs = 0;
            long params = 0;
            switch (n.op()) {
                case CONV2D -> {
                    int k = n.intAttr("kernel");
                    long perOutput = (long) (in[0] / n.intAttr("groups", 1)) * k * k;
                    macs = (long) out[0] * out[1] * out[2] * perOutput;
                    params = out[0] * perOutput + (n.boolAttr("bias", false) ? out[0] : 0);
                }
                case LINEAR -> {
                    macs = (long) in[0] * out[0];
                    params = macs + (n.boolAttr("bias", true) ? out[0] : 0);
                }
                case BATCHNORM -> params = 2L * out[0];
                default -> { }
            }
            nodes.add(new NodeCost(n.id(), n.op().key(), macs, params));
        }
        return new CostReport(nodes);
    }
}

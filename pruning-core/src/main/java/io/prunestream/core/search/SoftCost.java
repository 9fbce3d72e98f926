package io.prunestream.core.search;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.prunestream.core.allocation.TargetKind;
import io.prunestream.core.cost.CostModel;
import io.prunestream.core.cost.NodeCost;
import io.prunestream.core.dependency.ChannelGroup;
import io.prunestream.core.dependency.DependencyGraph;
import io.prunestream.core.dependency.GroupMember;
import io.prunestream.core.dependency.MemberRole;
import io.prunestream.core.model.ModelGraph;
import io.prunestream.core.model.NodeSpec;
import io.prunestream.core.model.Op;
import java.util.List;

/**
 * A differentiable estimate of a model's cost as a function of per-group keep ratios, consistent with
 * {@link CostModel}: a dense conv or linear layer costs its original MACs times the kept share of its
 * input channels times the kept share of its output channels; a depthwise conv scales with its output
 * share alone (its input is the same group). A layer's kept share of a tensor is
 * {@code 1 - Σ_g s_g (1 - k_g)}, {@code s_g} being the share of the tensor's channels that group
 * {@code g} holds, so layers reading a concat of several groups are handled too. With
 * {@code k_g = kept_g / size_g} the estimate equals the cost {@link CostModel} counts after surgery,
 * for MACs exactly; for parameters the layer weights are exact and BN and bias terms are left out.
 */
final class SoftCost {
    private final TargetKind kind;
    private final double[] layerCost;
    /** [layer][group] share of the layer's input (a) and output (b) channels each prunable group holds. */
    private final float[] inShare;
    private final float[] outShare;
    private final int layers;
    private final int groups;
    private final double total;

    SoftCost(ModelGraph model, DependencyGraph graph, List<ChannelGroup> prunable, TargetKind kind) {
        this.kind = kind;
        List<NodeSpec> weighted = model.order().stream()
                .filter(n -> n.op() == Op.CONV2D || n.op() == Op.LINEAR).toList();
        java.util.Map<String, NodeCost> costs = new java.util.HashMap<>();
        CostModel.of(model).nodes().forEach(c -> costs.put(c.nodeId(), c));
        this.layers = weighted.size();
        this.groups = prunable.size();
        this.layerCost = new double[layers];
        this.inShare = new float[layers * groups];
        this.outShare = new float[layers * groups];
        java.util.Map<String, Integer> index = new java.util.HashMap<>();
        for (int v = 0; v < layers; v++) {
            NodeSpec n = weighted.get(v);
            index.put(n.id(), v);
            NodeCost c = costs.get(n.id());
            layerCost[v] = kind == TargetKind.FLOPS ? c.macs() : c.params();
        }
        for (int g = 0; g < groups; g++) {
            for (GroupMember m : prunable.get(g).members()) {
                Integer v = index.get(m.nodeId());
                if (v == null) {
                    continue;
                }
                NodeSpec n = model.node(m.nodeId());
                int channels = m.layerIndex().length * m.span();
                if (m.role() == MemberRole.PRODUCER || m.role() == MemberRole.DEPTHWISE) {
                    outShare[v * groups + g] += (float) channels / model.shape(n.id())[0];
                }
                if (m.role() == MemberRole.CONSUMER) {
                    inShare[v * groups + g] += (float) channels / model.shape(n.input())[0];
                }
            }
        }
        double sum = 0;
        for (double c : layerCost) {
            sum += c;
        }
        // Cost outside conv and linear layers (BN parameters) does not change with the ratios in this estimate.
        this.total = kind == TargetKind.FLOPS ? CostModel.of(model).macs() : CostModel.of(model).params();
        this.fixed = total - sum;
    }

    private final double fixed;

    /** The estimated cost as a fraction of the original, for keep ratios {@code keep} ([groups]). */
    NDArray fraction(NDManager manager, NDArray keep) {
        NDArray removed = keep.neg().add(1).reshape(groups, 1);
        NDArray in = manager.create(inShare, new Shape(layers, groups)).matMul(removed).neg().add(1);
        NDArray out = manager.create(outShare, new Shape(layers, groups)).matMul(removed).neg().add(1);
        float[] weights = new float[layers];
        for (int v = 0; v < layers; v++) {
            weights[v] = (float) (layerCost[v] / total);
        }
        NDArray w = manager.create(weights, new Shape(layers, 1));
        return in.mul(out).mul(w).sum().add((float) (fixed / total));
    }

    /** The same estimate in plain numbers. */
    double fraction(double[] keep) {
        double cost = fixed;
        for (int v = 0; v < layers; v++) {
            double in = 1;
            double out = 1;
            for (int g = 0; g < groups; g++) {
                in -= inShare[v * groups + g] * (1 - keep[g]);
                out -= outShare[v * groups + g] * (1 - keep[g]);
            }
            cost += layerCost[v] * in * out;
        }
        return cost / total;
    }
}

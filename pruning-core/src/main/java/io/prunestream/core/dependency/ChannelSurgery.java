package io.prunestream.core.dependency;

import io.prunestream.core.model.ModelPackage;
import io.prunestream.core.model.ModelSpec;
import io.prunestream.core.model.NodeSpec;
import io.prunestream.core.model.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Applies a pruning plan by slicing weights: the result is a new, physically smaller package with
 * no masks left behind. Its outputs equal the original's when the removed channels' contributions
 * are zeroed where they are consumed ({@link ChannelMasking}).
 */
public final class ChannelSurgery {
    /** Default floor of channels any group keeps, so no layer is ever emptied. */
    public static final int DEFAULT_MIN_CHANNELS = 1;

    private ChannelSurgery() {}

    public static ModelPackage apply(ModelPackage pkg, DependencyGraph graph, PruningPlan plan) {
        return apply(pkg, graph, plan, DEFAULT_MIN_CHANNELS);
    }

    public static ModelPackage apply(ModelPackage pkg, DependencyGraph graph, PruningPlan plan, int minChannels) {
        graph.validate(plan, minChannels);
        Map<String, Tensor> weights = new LinkedHashMap<>();
        for (NodeSpec n : pkg.spec().nodes()) {
            switch (n.op()) {
                case CONV2D -> {
                    int[] out = graph.keptIndices(n.id(), plan);
                    Tensor w = pkg.weight(n.id() + ".weight").select(0, out);
                    if (!DependencyGraph.isDepthwise(n)) {
                        w = w.select(1, graph.keptIndices(n.input(), plan));
                    }
                    weights.put(n.id() + ".weight", w);
                    copySliced(pkg, weights, n.id() + ".bias", out);
                }
                case LINEAR -> {
                    int[] out = graph.keptIndices(n.id(), plan);
                    weights.put(n.id() + ".weight",
                            pkg.weight(n.id() + ".weight").select(0, out).select(1, graph.keptIndices(n.input(), plan)));
                    copySliced(pkg, weights, n.id() + ".bias", out);
                }
                case BATCHNORM -> {
                    int[] keep = graph.keptIndices(n.id(), plan);
                    for (String p : List.of("gamma", "beta", "running_mean", "running_var")) {
                        copySliced(pkg, weights, n.id() + "." + p, keep);
                    }
                }
                default -> { }
            }
        }
        return new ModelPackage(applyToSpec(pkg.spec(), graph, plan), weights);
    }

    /** The pruned spec alone: what cost models and allocation search need, without touching weights. */
    public static ModelSpec applyToSpec(ModelSpec spec, DependencyGraph graph, PruningPlan plan) {
        List<NodeSpec> nodes = new ArrayList<>();
        for (NodeSpec n : spec.nodes()) {
            NodeSpec m = n;
            if (n.op() == io.prunestream.core.model.Op.CONV2D) {
                int out = graph.keptIndices(n.id(), plan).length;
                m = n.withAttr("out_channels", out);
                if (DependencyGraph.isDepthwise(n)) {
                    m = m.withAttr("groups", out);
                }
            } else if (n.op() == io.prunestream.core.model.Op.LINEAR) {
                m = n.withAttr("out_features", graph.keptIndices(n.id(), plan).length);
            }
            nodes.add(m);
        }
        return spec.withNodes(nodes);
    }

    private static void copySliced(ModelPackage pkg, Map<String, Tensor> weights, String key, int[] keep) {
        if (pkg.weights().containsKey(key)) {
            weights.put(key, pkg.weight(key).select(0, keep));
        }
    }
}

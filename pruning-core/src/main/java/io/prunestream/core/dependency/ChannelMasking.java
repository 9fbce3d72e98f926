package io.prunestream.core.dependency;

import io.prunestream.core.model.ModelPackage;
import io.prunestream.core.model.NodeSpec;
import io.prunestream.core.model.Tensor;
import java.util.Map;

/**
 * The masked twin of surgery: the original architecture with the removed channels' contributions
 * zeroed where they are consumed (input slices of dense convs and linear layers, whole filters of
 * depthwise convs). Surgery must compute exactly what this computes; tests compare the two.
 */
public final class ChannelMasking {
    private ChannelMasking() {}

    public static ModelPackage zeroRemovedAtConsumers(ModelPackage pkg, DependencyGraph graph, PruningPlan plan) {
        graph.validate(plan, 0);
        Map<String, Tensor> weights = pkg.copyWeights();
        for (NodeSpec n : pkg.spec().nodes()) {
            switch (n.op()) {
                case CONV2D, LINEAR -> {
                    Tensor w = weights.get(n.id() + ".weight");
                    if (DependencyGraph.isDepthwise(n)) {
                        for (int c = 0; c < w.dim(0); c++) {
                            if (!graph.kept(n.input(), c, plan)) {
                                zeroSlice(w, c);
                            }
                        }
                    } else {
                        zeroInputs(w, n, graph, plan);
                    }
                }
                default -> { }
            }
        }
        return new ModelPackage(pkg.spec(), weights);
    }

    private static void zeroInputs(Tensor w, NodeSpec n, DependencyGraph graph, PruningPlan plan) {
        int outs = w.dim(0);
        int ins = w.dim(1);
        int inner = w.size() / (outs * ins);
        float[] d = w.data();
        for (int i = 0; i < ins; i++) {
            if (graph.kept(n.input(), i, plan)) {
                continue;
            }
            for (int o = 0; o < outs; o++) {
                java.util.Arrays.fill(d, (o * ins + i) * inner, (o * ins + i + 1) * inner, 0f);
            }
        }
    }

    private static void zeroSlice(Tensor w, int index) {
        int s = w.sliceSize();
        java.util.Arrays.fill(w.data(), index * s, (index + 1) * s, 0f);
    }
}

package io.prunestream.core.gal;

import io.prunestream.core.allocation.ChannelRounding;
import io.prunestream.core.dependency.ChannelGroup;
import io.prunestream.core.dependency.ChannelSurgery;
import io.prunestream.core.dependency.DependencyGraph;
import io.prunestream.core.dependency.PruningPlan;
import io.prunestream.core.model.ModelPackage;
import io.prunestream.core.model.NodeSpec;
import io.prunestream.core.model.Op;
import io.prunestream.core.model.Tensor;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * Turns trained soft masks into a smaller package. Each mask value is folded into the weights at its
 * site (a batch-norm's gamma and beta, or a conv/linear layer's filter and bias, times the mask), so
 * the folded model computes exactly what the masked model computes; then every channel whose mask is
 * zero is cut by {@link ChannelSurgery}, which changes nothing more since those channels are zero at
 * every consumer. A group whose masks are all zero keeps its first {@code minChannels} channels, now
 * zero, so that no layer is emptied (the output is still the masked model's).
 *
 * <p>Round-to ({@link ChannelRounding}) works the same way: a group whose positive masks are not a
 * multiple of N also keeps zero-mask channels up to the next multiple (or the whole group). They
 * compute nothing, so the pruned model still computes exactly what the masked one does; they only
 * make the widths aligned.
 */
public final class MaskPlan {
    private MaskPlan() {}

    /** The folded and pruned package. */
    public static ModelPackage prune(ModelPackage pkg, Map<Integer, float[]> masks, int minChannels, int roundTo) {
        DependencyGraph graph = DependencyGraph.of(pkg.graph());
        MaskSites sites = MaskSites.of(pkg.graph(), graph);
        requireMatching(graph, sites, masks);
        return ChannelSurgery.apply(fold(pkg, sites, masks), graph, plan(graph, masks, minChannels, roundTo),
                minChannels);
    }

    /**
     * Keeps every channel whose mask is positive, topped up with zero-mask channels to at least
     * {@code minChannels} and then to a multiple of {@code roundTo} (or the whole group).
     */
    public static PruningPlan plan(DependencyGraph graph, Map<Integer, float[]> masks, int minChannels, int roundTo) {
        ChannelRounding.requireValid(roundTo);
        Map<Integer, int[]> kept = new LinkedHashMap<>();
        masks.forEach((group, m) -> {
            int floor = Math.max(1, minChannels);
            int[] positive = IntStream.range(0, m.length).filter(i -> m[i] > 0).toArray();
            int target = ChannelRounding.kept(positive.length, floor, m.length, roundTo);
            int[] keep = positive;
            if (positive.length < target) {
                // Valid masks are non-negative, so every filler is an exact zero: the first ones will do.
                IntStream fillers = IntStream.range(0, m.length).filter(i -> !(m[i] > 0))
                        .limit(target - positive.length);
                keep = IntStream.concat(Arrays.stream(positive), fillers).sorted().toArray();
            }
            if (keep.length < m.length) {
                kept.put(group, keep);
            }
        });
        return new PruningPlan(kept);
    }

    /** The same architecture with every mask multiplied into the weights at its sites. */
    public static ModelPackage fold(ModelPackage pkg, MaskSites sites, Map<Integer, float[]> masks) {
        Map<String, Tensor> weights = pkg.copyWeights();
        masks.forEach((group, m) -> {
            for (MaskSites.Site site : sites.sites().get(group)) {
                for (String key : scaledKeys(pkg.graph().node(site.nodeId()))) {
                    Tensor t = weights.get(key);
                    if (t != null) {
                        scaleSlices(t, site.layerIndex(), m);
                    }
                }
            }
        });
        return new ModelPackage(pkg.spec(), weights);
    }

    /**
     * The weights that scale a node's output channels linearly: a batch-norm's gamma and beta, a
     * conv/linear layer's filter and bias (a key with no weight, such as a missing bias, is skipped).
     */
    static List<String> scaledKeys(NodeSpec node) {
        return node.op() == Op.BATCHNORM
                ? List.of(node.id() + ".gamma", node.id() + ".beta")
                : List.of(node.id() + ".weight", node.id() + ".bias");
    }

    private static void scaleSlices(Tensor t, int[] layerIndex, float[] m) {
        int size = t.sliceSize();
        float[] d = t.data();
        for (int g = 0; g < m.length; g++) {
            int from = layerIndex[g] * size;
            for (int i = from; i < from + size; i++) {
                d[i] *= m[g];
            }
        }
    }

    private static void requireMatching(DependencyGraph graph, MaskSites sites, Map<Integer, float[]> masks) {
        masks.forEach((group, m) -> {
            if (!sites.sites().containsKey(group)) {
                throw new IllegalArgumentException("mask for group " + group + ", which has no mask sites in model '"
                        + graph.model().spec().name() + "'" + (sites.unmasked().containsKey(group)
                                ? ": " + sites.unmasked().get(group) : ""));
            }
            ChannelGroup g = graph.group(group);
            if (m.length != g.size()) {
                throw new IllegalArgumentException("mask for group '" + g.name() + "' has " + m.length
                        + " values, the group has " + g.size() + " channels");
            }
            for (float v : m) {
                if (!(v >= 0) || !Float.isFinite(v)) {
                    throw new IllegalArgumentException("mask for group '" + g.name() + "' holds " + v
                            + ": masks must be finite and non-negative");
                }
            }
        });
    }
}

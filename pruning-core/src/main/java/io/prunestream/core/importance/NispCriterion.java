package io.prunestream.core.importance;

import io.prunestream.core.dependency.ChannelGroup;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * "nisp": Neuron Importance Score Propagation (Yu et al., CVPR 2018), propagated from the classifier
 * output back through the absolute weights of every layer as {@link NeuronImportance} describes.
 *
 * <p>Choices where the paper leaves room or needs what this toolkit lacks:
 * <ul>
 *   <li>Start: every logit has importance 1, instead of ranking the final response layer's features
 *       with Inf-FS on data. The criterion therefore needs no data ({@link #needsData()} is false).</li>
 *   <li>BN is scaled by {@code |γ|/sqrt(var+eps)}: the paper folds BN into the layer before it, and
 *       with the running statistics folding is exactly this scale.</li>
 *   <li>A channel's importance is read at the group's activation sites ({@link GroupSites}), i.e. the
 *       neurons of the folded conv-BN layer, and averaged over a group's sites.</li>
 *   <li>Scores are divided by the group's largest: raw importances grow by a roughly constant factor
 *       per layer (10–50 in the zoo models) and overflow float beyond 30 or so layers, and NISP prunes
 *       each layer by its own ratio, so only ratios within a group carry meaning, which are also all
 *       the global allocator reads. A group whose channels all have zero importance scores 0.</li>
 * </ul>
 */
public final class NispCriterion implements ImportanceCriterion {
    public static final String NAME = "nisp";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public float[] score(ChannelGroup group, ScoringContext context) {
        return scoreGroups(List.of(group), context).get(group.id());
    }

    @Override
    public Map<Integer, float[]> scoreGroups(List<ChannelGroup> groups, ScoringContext context) {
        Map<String, double[]> importance = NeuronImportance.propagate(context.model());
        Map<Integer, float[]> scores = new LinkedHashMap<>();
        for (ChannelGroup g : groups) {
            double[] s = GroupSites.average(g, GroupSites.activationSites(context.model().graph(), g),
                    site -> importance.getOrDefault(site.tensorId(), new double[context.model().graph()
                            .shape(site.tensorId())[0]]));
            double max = 0;
            for (double v : s) {
                max = Math.max(max, v);
            }
            float[] f = new float[s.length];
            for (int c = 0; c < f.length; c++) {
                f[c] = max > 0 ? (float) (s[c] / max) : 0f;
            }
            scores.put(g.id(), f);
        }
        return scores;
    }
}

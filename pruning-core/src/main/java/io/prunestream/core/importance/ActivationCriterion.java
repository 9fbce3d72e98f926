package io.prunestream.core.importance;

import io.prunestream.core.dependency.ChannelGroup;
import io.prunestream.core.model.ModelGraph;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The shape every activation criterion shares: pick the tensors where the group's channels are
 * observed ({@link GroupSites}), accumulate a per-channel statistic on each over one pass of the
 * calibration sample ({@link ActivationProbe}), average over a group's sites, then optionally
 * rescale per group. Subclasses say only which sites, whether gradients are needed, which statistic
 * and which rescaling. All groups are scored from the same single pass over the data.
 */
abstract class ActivationCriterion implements ImportanceCriterion {

    /** The tensors at which this criterion observes {@code group}: after the activation unless overridden. */
    protected List<ChannelSite> sites(ModelGraph graph, ChannelGroup group) {
        return GroupSites.activationSites(graph, group);
    }

    /** Whether statistics see the loss gradient at their tensor; only Taylor criteria pay for a backward pass. */
    protected boolean needsGradients() {
        return false;
    }

    /** A fresh accumulator for a tensor of {@code channels} channels. */
    protected abstract SiteStatistic newStatistic(int channels);

    /** Turns a group's site-averaged values into its scores; identity unless overridden. */
    protected double[] perGroup(double[] averaged) {
        return averaged;
    }

    @Override
    public final boolean needsData() {
        return true;
    }

    @Override
    public final float[] score(ChannelGroup group, ScoringContext context) {
        return scoreGroups(List.of(group), context).get(group.id());
    }

    @Override
    public final Map<Integer, float[]> scoreGroups(List<ChannelGroup> groups, ScoringContext context) {
        ModelGraph graph = context.model().graph();
        Map<Integer, List<ChannelSite>> sitesByGroup = new LinkedHashMap<>();
        groups.forEach(g -> sitesByGroup.put(g.id(), sites(graph, g)));
        Map<String, SiteStatistic> statistics = new HashMap<>();
        for (String tensor : GroupSites.tensors(sitesByGroup)) {
            statistics.put(tensor, newStatistic(graph.shape(tensor)[0]));
        }
        new ActivationProbe().run(context.model(), context.calibration(), new HashSet<>(statistics.keySet()),
                needsGradients(), (activations, gradients) -> statistics.forEach(
                        (tensor, stat) -> stat.add(activations.get(tensor), gradients.get(tensor))));
        Map<String, double[]> values = new HashMap<>();
        statistics.forEach((tensor, stat) -> values.put(tensor, stat.perChannel()));
        Map<Integer, float[]> scores = new LinkedHashMap<>();
        for (ChannelGroup g : groups) {
            double[] averaged = GroupSites.average(g, sitesByGroup.get(g.id()), s -> values.get(s.tensorId()));
            scores.put(g.id(), toFloat(perGroup(averaged)));
        }
        return scores;
    }

    private static float[] toFloat(double[] d) {
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) {
            f[i] = (float) d[i];
        }
        return f;
    }
}

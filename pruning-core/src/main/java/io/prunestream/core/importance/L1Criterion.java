package io.prunestream.core.importance;

import io.prunestream.core.dependency.ChannelGroup;

/** "l1": the L1 norm of each output filter (Li et al., Pruning Filters for Efficient ConvNets). */
public final class L1Criterion implements ImportanceCriterion {
    public static final String NAME = "l1";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public float[] score(ChannelGroup group, ScoringContext context) {
        return GroupReduction.overProducerWeights(group, context, w -> GroupReduction.perFilter(w, (d, from, to) -> {
            double s = 0;
            for (int i = from; i < to; i++) {
                s += Math.abs(d[i]);
            }
            return s;
        }));
    }
}

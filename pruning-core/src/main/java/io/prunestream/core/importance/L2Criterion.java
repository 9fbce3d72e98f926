package io.prunestream.core.importance;

import io.prunestream.core.dependency.ChannelGroup;

/** "l2": the Euclidean norm of each output filter. */
public final class L2Criterion implements ImportanceCriterion {
    public static final String NAME = "l2";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public float[] score(ChannelGroup group, ScoringContext context) {
        return GroupReduction.overProducerWeights(group, context, w -> GroupReduction.perFilter(w, (d, from, to) -> {
            double s = 0;
            for (int i = from; i < to; i++) {
                s += (double) d[i] * d[i];
            }
            return Math.sqrt(s);
        }));
    }
}

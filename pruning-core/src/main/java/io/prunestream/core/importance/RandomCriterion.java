package io.prunestream.core.importance;

import io.prunestream.core.dependency.ChannelGroup;
import java.util.SplittableRandom;

/**
 * "random": uniform scores in [0, 1), the baseline every criterion must beat. Each group draws from
 * its own stream derived from the context seed and the group id, so a group's scores do not depend on
 * which other groups were scored or in what order.
 */
public final class RandomCriterion implements ImportanceCriterion {
    public static final String NAME = "random";
    /** The 64-bit golden ratio, to spread consecutive group ids over the seed space. */
    private static final long GROUP_STRIDE = 0x9E3779B97F4A7C15L;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public float[] score(ChannelGroup group, ScoringContext context) {
        SplittableRandom random = new SplittableRandom(context.seed() + GROUP_STRIDE * (group.id() + 1L));
        float[] s = new float[group.size()];
        for (int c = 0; c < s.length; c++) {
            s[c] = (float) random.nextDouble();
        }
        return s;
    }
}

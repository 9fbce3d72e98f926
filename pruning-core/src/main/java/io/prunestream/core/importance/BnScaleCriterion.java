package io.prunestream.core.importance;

import io.prunestream.core.dependency.ChannelGroup;
import io.prunestream.core.dependency.MemberRole;
import io.prunestream.core.model.Tensor;

/**
 * "bn-scale": |gamma| of the group's batch-norms (Liu et al., Network Slimming). A channel whose BN
 * scale is near zero contributes little after normalisation, whatever its filter's norm; the sign is
 * dropped because a negative gamma flips a channel without weakening it.
 */
public final class BnScaleCriterion implements ImportanceCriterion {
    public static final String NAME = "bn-scale";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public float[] score(ChannelGroup group, ScoringContext context) {
        if (group.members(MemberRole.NORM).isEmpty()) {
            throw new IllegalArgumentException("criterion '" + NAME + "' needs batch-norm layers, but group '"
                    + group.name() + "' (id " + group.id() + ") has none (members: " + group.describe() + ")");
        }
        return GroupReduction.average(group, MemberRole.NORM,
                m -> absolute(context.model().weight(m.nodeId() + ".gamma")));
    }

    private static double[] absolute(Tensor gamma) {
        float[] g = gamma.data();
        double[] out = new double[g.length];
        for (int c = 0; c < g.length; c++) {
            out[c] = Math.abs(g[c]);
        }
        return out;
    }
}

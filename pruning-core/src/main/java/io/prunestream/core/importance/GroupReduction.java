package io.prunestream.core.importance;

import io.prunestream.core.dependency.ChannelGroup;
import io.prunestream.core.dependency.GroupMember;
import io.prunestream.core.dependency.MemberRole;
import io.prunestream.core.model.Tensor;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.function.ToIntBiFunction;

/**
 * How a group's score is assembled from its layers, the one rule every criterion follows.
 *
 * <p>A criterion scores whole layers along their channel axis; the group score of channel
 * {@code g} is the mean, over the group's members of one role, of each member's score at
 * {@link GroupMember#indexOf(int) its position of g}. Weight criteria (L1, L2, FPGM) use the
 * {@link MemberRole#PRODUCER} members and score their output filters: a conv weight's slice along axis
 * 0, a linear layer's row. A residual group has several producers joined by an {@code add}; their
 * filters create the same channel, so the mean treats them as equal witnesses. Depthwise, batch-norm
 * and consumer weights are not used by weight criteria: depthwise filters and consumer columns say how
 * a channel is used downstream, not how strongly it is made. BN scale averages |gamma| over the
 * {@link MemberRole#NORM} members. Data-driven criteria apply the same mean over the tensors on which
 * they observe a group ({@link GroupSites}).
 */
public final class GroupReduction {
    private GroupReduction() {}

    /** Values of a filter stored in {@code data[from, to)}. */
    @FunctionalInterface
    public interface FilterMeasure {
        double of(float[] data, int from, int to);
    }

    /**
     * Mean over the members of {@code role} of their per-layer scores ({@code layerScores} indexed
     * along each member's channel axis). Fails naming the group when it has no such member.
     */
    public static float[] average(ChannelGroup group, MemberRole role, Function<GroupMember, double[]> layerScores) {
        List<GroupMember> members = group.members(role);
        if (members.isEmpty()) {
            throw new IllegalArgumentException("group '" + group.name() + "' (id " + group.id() + ") has no "
                    + role.name().toLowerCase(Locale.ROOT) + " members (members: " + group.describe() + ")");
        }
        double[] mean = meanOver(group, members, GroupMember::indexOf, layerScores,
                "no " + role.name().toLowerCase(Locale.ROOT) + " member");
        float[] out = new float[mean.length];
        for (int g = 0; g < out.length; g++) {
            out[g] = (float) mean[g];
        }
        return out;
    }

    /**
     * The rule itself, for any kind of witness of a group's channels (members, or the tensors data
     * criteria observe): per group channel, the mean over witnesses of {@code values} at the
     * witness's index of that channel. A witness whose index is negative does not carry the channel
     * and is skipped (only a consumer can carry part of a group in a prunable graph); a channel that
     * no witness carries fails, saying it is carried by {@code nobody}.
     */
    static <T> double[] meanOver(ChannelGroup group, List<T> witnesses, ToIntBiFunction<T, Integer> indexOf,
            Function<T, double[]> values, String nobody) {
        double[] sum = new double[group.size()];
        int[] count = new int[group.size()];
        for (T w : witnesses) {
            double[] layer = values.apply(w);
            for (int g = 0; g < sum.length; g++) {
                int i = indexOf.applyAsInt(w, g);
                if (i >= 0) {
                    sum[g] += layer[i];
                    count[g]++;
                }
            }
        }
        for (int g = 0; g < sum.length; g++) {
            if (count[g] == 0) {
                throw new IllegalArgumentException("channel " + g + " of group '" + group.name() + "' is carried by "
                        + nobody + " (members: " + group.describe() + ")");
            }
            sum[g] /= count[g];
        }
        return sum;
    }

    /** {@link #average} over the producers of {@code layerScores} applied to each producer's weight. */
    public static float[] overProducerWeights(ChannelGroup group, ScoringContext context,
            Function<Tensor, double[]> layerScores) {
        return average(group, MemberRole.PRODUCER,
                m -> layerScores.apply(context.model().weight(m.nodeId() + ".weight")));
    }

    /** One value per slice along axis 0 of {@code weight} (per filter of a conv, per row of a linear layer). */
    public static double[] perFilter(Tensor weight, FilterMeasure measure) {
        int n = weight.dim(0);
        int len = weight.sliceSize();
        double[] out = new double[n];
        for (int f = 0; f < n; f++) {
            out[f] = measure.of(weight.data(), f * len, (f + 1) * len);
        }
        return out;
    }
}

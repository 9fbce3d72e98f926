package io.prunestream.core.allocation;

import io.prunestream.core.dependency.ChannelGroup;
import io.prunestream.core.dependency.PruningPlan;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * The prunable groups of a request with their channels ranked best first (ties by channel index, so
 * plans are reproducible), and plans that keep a best-first prefix of each group. Every allocator
 * keeps the highest scores; they differ only in how many per group. Public for the search strategies
 * ({@code io.prunestream.core.search}), which decide the counts their own way.
 *
 * <p>{@link #plan} is the one place counts become plans, so it is also where the request's round-to is
 * applied ({@link ChannelRounding}): every allocator and search gets aligned widths without knowing
 * about them. Rounding up keeps a count at or above the floor, and never lowers a count that was
 * higher, so schedules stay monotone in cost.
 */
public final class ChannelOrder {
    private final List<ChannelGroup> groups;
    private final int[][] bestFirst;
    private final int[] floor;
    private final int roundTo;

    public ChannelOrder(AllocationRequest request) {
        this.groups = request.graph().prunableGroups();
        this.bestFirst = new int[groups.size()][];
        this.floor = new int[groups.size()];
        for (int i = 0; i < groups.size(); i++) {
            ChannelGroup g = groups.get(i);
            float[] s = request.scoresOf(g.id());
            bestFirst[i] = IntStream.range(0, g.size()).boxed()
                    .sorted(Comparator.<Integer>comparingDouble(c -> -s[c]).thenComparingInt(c -> c))
                    .mapToInt(Integer::intValue).toArray();
            floor[i] = Math.min(g.size(), request.minChannels());
        }
        this.roundTo = request.roundTo();
    }

    public int count() {
        return groups.size();
    }

    public ChannelGroup group(int i) {
        return groups.get(i);
    }

    public int size(int i) {
        return groups.get(i).size();
    }

    /**
     * Channels group {@code i} is asked to keep at least, before rounding (the plan may keep up to
     * {@code roundTo - 1} more). Left unrounded because searches use it as the bottom of a continuous
     * range (DSA's floor share), where an aligned floor equal to the group's size would leave no range.
     */
    public int floor(int i) {
        return floor[i];
    }

    /** Kept counts are rounded up to a multiple of this. */
    public int roundTo() {
        return roundTo;
    }

    /** The group channel ranked {@code rank} (0 = best) in group {@code i}. */
    public int channelAt(int i, int rank) {
        return bestFirst[i][rank];
    }

    /**
     * Keeps the best {@code keep[i]} channels of group {@code i}, raised to the floor and rounded up to
     * the request's round-to ({@link ChannelRounding#kept}); groups that keep all their channels are left
     * out of the plan.
     */
    public PruningPlan plan(int[] keep) {
        Map<Integer, int[]> kept = new HashMap<>();
        for (int i = 0; i < groups.size(); i++) {
            int k = ChannelRounding.kept(keep[i], floor[i], size(i), roundTo);
            if (k < size(i)) {
                kept.put(groups.get(i).id(), Arrays.copyOf(bestFirst[i], k));
            }
        }
        return new PruningPlan(kept);
    }
}

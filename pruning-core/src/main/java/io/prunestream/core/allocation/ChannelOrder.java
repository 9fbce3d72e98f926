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
 */
public final class ChannelOrder {
    private final List<ChannelGroup> groups;
    private final int[][] bestFirst;
    private final int[] floor;

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

    /** Channels group {@code i} keeps at least. */
    public int floor(int i) {
        return floor[i];
    }

    /** The group channel ranked {@code rank} (0 = best) in group {@code i}. */
    public int channelAt(int i, int rank) {
        return bestFirst[i][rank];
    }

    /** Keeps the best {@code keep[i]} channels of group {@code i}; whole groups are left out of the plan. */
    public PruningPlan plan(int[] keep) {
        Map<Integer, int[]> kept = new HashMap<>();
        for (int i = 0; i < groups.size(); i++) {
            if (keep[i] < size(i)) {
                kept.put(groups.get(i).id(), Arrays.copyOf(bestFirst[i], keep[i]));
            }
        }
        return new PruningPlan(kept);
    }
}

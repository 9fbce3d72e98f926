package io.prunestream.core.allocation;

import io.prunestream.core.dependency.PruningPlan;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * "global": ranks the channels of all prunable groups together and removes the lowest until the
 * target is met, so unimportant groups shrink more than important ones.
 *
 * <p>Raw scores are not comparable across groups (a filter's norm grows with its fan-in), so each
 * group's scores are divided by the group's largest absolute score: a channel then counts by its
 * share of its group's strongest channel. Dividing by the group's L2 norm was rejected because it
 * shrinks scores by about {@code 1/sqrt(size)}, which would prune wide layers for being wide rather
 * than for holding weak channels. Among equal normalised scores the channel ranked relatively lower
 * in its own group goes first, so flat scores degrade to an even spread instead of emptying the first
 * group. Channels below a group's floor are never candidates.
 *
 * <p>"threshold" ({@link #threshold()}) ranks the raw scores instead: one global threshold, as network
 * slimming applies to |γ| (Liu et al., 2017). That is right exactly where scores are comparable across
 * layers by construction, as BN scales after a sparsity phase are; dividing by each group's maximum
 * would erase the cross-layer differences the sparsity phase created.
 */
public final class GlobalAllocator implements RatioAllocator {
    public static final String NAME = "global";
    public static final String THRESHOLD = "threshold";

    private final boolean normalise;

    /** "global": scores divided by their group's largest. */
    public GlobalAllocator() {
        this(true);
    }

    private GlobalAllocator(boolean normalise) {
        this.normalise = normalise;
    }

    /** "threshold": raw scores ranked across groups. */
    public static GlobalAllocator threshold() {
        return new GlobalAllocator(false);
    }

    @Override
    public String name() {
        return normalise ? NAME : THRESHOLD;
    }

    @Override
    public AllocationResult allocate(AllocationRequest request) {
        return ScheduleSearch.run(name(), request, new Schedule(request, new ChannelOrder(request), normalise));
    }

    /** Step n removes the first n channels of the global ranking. */
    private static final class Schedule implements PruningSchedule {
        private final ChannelOrder order;
        /** Group index (in {@link ChannelOrder}) of each removable channel, in removal order. */
        private final int[] removalGroup;
        private final int totalChannels;

        Schedule(AllocationRequest request, ChannelOrder order, boolean normalise) {
            this.order = order;
            record Candidate(double normalised, double relativeRank, int group) {}
            List<Candidate> candidates = new ArrayList<>();
            int total = 0;
            for (int i = 0; i < order.count(); i++) {
                float[] s = request.scoresOf(order.group(i).id());
                double scale = 0;
                for (float v : s) {
                    scale = Math.max(scale, Math.abs(v));
                }
                double divisor = normalise && scale > 0 ? scale : 1;
                int size = order.size(i);
                total += size;
                // Ranks at or above the floor are the removable tail of the group's best-first order.
                for (int rank = order.floor(i); rank < size; rank++) {
                    candidates.add(new Candidate(s[order.channelAt(i, rank)] / divisor, (rank + 0.5) / size, i));
                }
            }
            // Within a group this yields ranks from worst upwards, the order ChannelOrder.plan removes in.
            candidates.sort(Comparator.comparingDouble(Candidate::normalised)
                    .thenComparing(Comparator.comparingDouble(Candidate::relativeRank).reversed())
                    .thenComparingInt(Candidate::group));
            this.removalGroup = candidates.stream().mapToInt(Candidate::group).toArray();
            this.totalChannels = total;
        }

        @Override
        public long steps() {
            return removalGroup.length;
        }

        @Override
        public PruningPlan planAt(long step) {
            int[] keep = new int[order.count()];
            for (int i = 0; i < keep.length; i++) {
                keep[i] = order.size(i);
            }
            for (int k = 0; k < step; k++) {
                keep[removalGroup[k]]--;
            }
            return order.plan(keep);
        }

        @Override
        public long stepFor(double ratio) {
            return Math.round(ratio * totalChannels);
        }
    }
}

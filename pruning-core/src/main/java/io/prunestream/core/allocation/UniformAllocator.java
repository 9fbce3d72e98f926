package io.prunestream.core.allocation;

import io.prunestream.core.dependency.PruningPlan;

/**
 * "uniform": every prunable group loses the same ratio r of its channels, keeping
 * {@code max(floor, round((1 - r) * size))} of its highest-scored ones, rounded up to the request's
 * round-to by {@link ChannelOrder#plan}. r is searched on a grid of 2^-30, finer than any step of the
 * rounded counts, so the search finds the largest cost not above the target.
 */
public final class UniformAllocator implements RatioAllocator {
    public static final String NAME = "uniform";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public AllocationResult allocate(AllocationRequest request) {
        return ScheduleSearch.run(NAME, request, new Schedule(new ChannelOrder(request)));
    }

    private static final class Schedule implements PruningSchedule {
        private static final long RESOLUTION = 1L << 30;
        private final ChannelOrder order;

        Schedule(ChannelOrder order) {
            this.order = order;
        }

        @Override
        public long steps() {
            return RESOLUTION;
        }

        @Override
        public PruningPlan planAt(long step) {
            double keepFraction = 1.0 - (double) step / RESOLUTION;
            int[] keep = new int[order.count()];
            for (int i = 0; i < keep.length; i++) {
                keep[i] = (int) Math.max(order.floor(i), Math.min(order.size(i), Math.round(keepFraction * order.size(i))));
            }
            return order.plan(keep);
        }

        @Override
        public long stepFor(double ratio) {
            return Math.round(ratio * RESOLUTION);
        }
    }
}

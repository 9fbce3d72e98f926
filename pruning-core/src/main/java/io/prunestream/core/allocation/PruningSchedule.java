package io.prunestream.core.allocation;

import io.prunestream.core.dependency.PruningPlan;

/**
 * An allocator's family of plans, from step 0 (nothing removed) to {@link #steps()} (as much as the
 * floor allows), whose cost never rises with the step. That monotonicity is what lets
 * {@link ScheduleSearch} bisect; a schedule keeps it by never raising a group's count with the step and
 * building plans with {@link ChannelOrder#plan}, whose rounding preserves it.
 */
interface PruningSchedule {
    long steps();

    PruningPlan planAt(long step);

    /** The step that removes about {@code ratio} of the channels, for requests with a fixed ratio. */
    long stepFor(double ratio);
}

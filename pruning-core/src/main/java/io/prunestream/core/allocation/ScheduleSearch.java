package io.prunestream.core.allocation;

import io.prunestream.core.dependency.PruningPlan;

/**
 * Picks the step of a schedule for a request: the fixed ratio's step when one is set, otherwise the
 * smallest step whose plan meets the target (by bisection, as cost never rises with the step), which
 * is the plan closest to the target from below. When even the last step misses, the target is
 * unreachable at the floor and the last step is the closest plan there is.
 *
 * <p>With round-to, {@link ChannelOrder#plan} rounds every count up, and rounding up is monotone: a
 * count that falls with the step still falls (or stays) after rounding, so cost still never rises with
 * the step. Many neighbouring steps then share one plan, which bisection does not mind: the smallest
 * fitting step is still the plan with the largest cost not above the target among the schedule's plans.
 */
final class ScheduleSearch {
    private ScheduleSearch() {}

    static AllocationResult run(String allocator, AllocationRequest request, PruningSchedule schedule) {
        PlanCost cost = new PlanCost(request);
        long last = schedule.steps();
        long step;
        if (request.fixedRatio().isPresent()) {
            step = Math.max(0, Math.min(last, schedule.stepFor(request.fixedRatio().getAsDouble())));
        } else if (!cost.fits(schedule.planAt(last))) {
            step = last;
        } else {
            // Invariant: the plan at hi fits, the one at lo does not (lo = -1 stands for "none").
            long lo = -1;
            long hi = last;
            while (hi - lo > 1) {
                long mid = lo + (hi - lo) / 2;
                if (cost.fits(schedule.planAt(mid))) {
                    hi = mid;
                } else {
                    lo = mid;
                }
            }
            step = hi;
        }
        PruningPlan plan = schedule.planAt(step);
        return cost.result(allocator, plan);
    }
}

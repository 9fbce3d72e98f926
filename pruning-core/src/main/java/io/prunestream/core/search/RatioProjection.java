package io.prunestream.core.search;

import io.prunestream.core.allocation.AllocationRequest;
import io.prunestream.core.allocation.AllocationResult;
import io.prunestream.core.allocation.ChannelOrder;
import io.prunestream.core.allocation.PlanCost;
import io.prunestream.core.dependency.PruningPlan;
import java.util.Map;

/**
 * Turns per-group keep ratios that only roughly meet a budget (DSA's learned ratios) into a plan that
 * meets it: every ratio is moved by one common shift {@code δ}, group {@code g} keeps
 * {@code clamp(round((ρ_g + δ) · size_g), floor_g, size_g)} of its highest-scored channels (rounded up
 * to the request's round-to by {@link ChannelOrder#plan}, which keeps the cost monotone in δ), and
 * {@code δ} is the largest shift whose plan fits the target, found by bisection on {@code [-1, 1]}
 * (cost never falls as {@code δ} grows). A common shift keeps the learned differences between groups.
 * When even every group at its floor misses the target, the floor plan is returned with
 * {@code targetMet} false, as the allocators do.
 */
public final class RatioProjection {
    private static final int BISECTION_STEPS = 50;

    private RatioProjection() {}

    /** The projected plan and the shift applied. */
    public record Projection(AllocationResult allocation, double shift) {}

    /**
     * @param keepRatios keep ratio per prunable group id, each in [0, 1]; a group left out keeps all
     */
    public static Projection project(String allocator, AllocationRequest request, Map<Integer, Double> keepRatios) {
        ChannelOrder order = new ChannelOrder(request);
        double[] ratio = new double[order.count()];
        for (int i = 0; i < ratio.length; i++) {
            Double r = keepRatios.getOrDefault(order.group(i).id(), 1.0);
            if (r == null || !(r >= 0 && r <= 1)) {
                throw new IllegalArgumentException("keep ratio of group " + order.group(i).id() + " '"
                        + order.group(i).name() + "' must be in [0, 1], got " + r);
            }
            ratio[i] = r;
        }
        PlanCost cost = new PlanCost(request);
        double lo = -1;
        double hi = 1;
        if (cost.fits(planAt(order, ratio, hi))) {
            return new Projection(cost.result(allocator, planAt(order, ratio, hi)), hi);
        }
        if (!cost.fits(planAt(order, ratio, lo))) {
            return new Projection(cost.result(allocator, planAt(order, ratio, lo)), lo);
        }
        // Invariant: the plan at lo fits, the one at hi does not.
        for (int step = 0; step < BISECTION_STEPS; step++) {
            double mid = (lo + hi) / 2;
            if (cost.fits(planAt(order, ratio, mid))) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return new Projection(cost.result(allocator, planAt(order, ratio, lo)), lo);
    }

    private static PruningPlan planAt(ChannelOrder order, double[] ratio, double shift) {
        int[] keep = new int[ratio.length];
        for (int i = 0; i < keep.length; i++) {
            long k = Math.round(Math.max(0, Math.min(1, ratio[i] + shift)) * order.size(i));
            keep[i] = (int) Math.max(order.floor(i), Math.min(order.size(i), k));
        }
        return order.plan(keep);
    }
}

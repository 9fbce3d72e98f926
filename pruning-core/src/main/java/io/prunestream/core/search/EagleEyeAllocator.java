package io.prunestream.core.search;

import io.prunestream.core.cancel.CancellationToken;
import io.prunestream.core.allocation.AllocationRequest;
import io.prunestream.core.allocation.AllocationResult;
import io.prunestream.core.allocation.ChannelOrder;
import io.prunestream.core.allocation.PlanCost;
import io.prunestream.core.allocation.RatioAllocator;
import io.prunestream.core.dependency.PruningPlan;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * "eagleeye": one random candidate of EagleEye (Li et al., ECCV 2020) per seed. Each prunable group
 * gets a pruning ratio drawn uniformly from its range; the group keeps
 * {@code clamp(round((1 - r) * size), floor, size)} of its highest-scored channels (so the criterion,
 * L1 by default, decides which channels go inside a layer), rounded up to the request's round-to by
 * {@link ChannelOrder#plan}. A vector whose rounded plan's cost lands outside the window
 * {@code [target - tolerance, target]} is thrown away and redrawn, at most {@code maxDraws} times.
 * The window is one-sided: a job's budget is a ceiling, so no candidate may exceed it. The seed is
 * {@link AllocationRequest#seed()}; the pipeline gives every candidate of every round its own, and
 * the evaluator picks the best of them after adaptive BN.
 *
 * <p><b>Draw range.</b> {@code [minRatio, maxRatio]} are the outer bounds. Inside them the draws are
 * centred on {@code r_u}, the uniform ratio that meets the target: each ratio is drawn from
 * {@code [r_u - w, r_u + w]} with {@code w = min(r_u - minRatio, maxRatio - r_u)}. Drawing from the
 * whole outer range would centre the vectors' cost on a fixed value whatever the target, and on deep
 * networks (where the cost of many independent ratios concentrates near its mean) almost no draw
 * would land in the window. When {@code r_u} lies outside the bounds the range collapses onto the
 * nearer bound and the window is most likely missed, which fails with a message naming the options.
 *
 * <p>When even every group at its floor misses the target, the target is unreachable; like the other
 * allocators this returns the floor plan with {@code targetMet} false instead of searching.
 */
public final class EagleEyeAllocator implements RatioAllocator {
    public static final String NAME = "eagleeye";
    public static final double DEFAULT_MIN_RATIO = 0.0;
    public static final double DEFAULT_MAX_RATIO = 0.9;
    public static final double DEFAULT_TOLERANCE = 0.02;
    public static final int DEFAULT_MAX_DRAWS = 20_000;

    private final double minRatio;
    private final double maxRatio;
    private final double tolerance;
    private final int maxDraws;

    public EagleEyeAllocator() {
        this(DEFAULT_MIN_RATIO, DEFAULT_MAX_RATIO, DEFAULT_TOLERANCE, DEFAULT_MAX_DRAWS);
    }

    public EagleEyeAllocator(double minRatio, double maxRatio, double tolerance, int maxDraws) {
        if (!(minRatio >= 0 && minRatio <= maxRatio && maxRatio < 1)) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "EagleEye ratio bounds must satisfy 0 <= min <= max < 1, got [%s, %s]", minRatio, maxRatio));
        }
        if (!(tolerance > 0 && tolerance < 1)) {
            throw new IllegalArgumentException("EagleEye tolerance must be in (0, 1), got " + tolerance);
        }
        if (maxDraws < 1) {
            throw new IllegalArgumentException("EagleEye needs at least one draw, got " + maxDraws);
        }
        this.minRatio = minRatio;
        this.maxRatio = maxRatio;
        this.tolerance = tolerance;
        this.maxDraws = maxDraws;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public AllocationResult allocate(AllocationRequest request) {
        return draw(request).allocation();
    }

    /** One accepted candidate with the ratios drawn for it and the draws it took. */
    public record Candidate(AllocationResult allocation, double[] ratios, int draws) {}

    /** The candidate of {@code request.seed()}; see the class comment. */
    public Candidate draw(AllocationRequest request) {
        ChannelOrder order = new ChannelOrder(request);
        PlanCost cost = new PlanCost(request);
        int[] keep = new int[order.count()];
        double[] ratios = new double[order.count()];
        if (request.fixedRatio().isPresent()) {
            java.util.Arrays.fill(ratios, request.fixedRatio().getAsDouble());
            return new Candidate(cost.result(NAME, order.plan(counts(order, ratios, keep))), ratios, 1);
        }
        java.util.Arrays.fill(ratios, 1.0);
        PruningPlan floorPlan = order.plan(counts(order, ratios, keep));
        if (!cost.fits(floorPlan)) {
            return new Candidate(cost.result(NAME, floorPlan), ratios, 1);
        }
        double target = request.targetFraction();
        double centre = uniformRatio(order, cost);
        double half = Math.max(0, Math.min(centre - minRatio, maxRatio - centre));
        double lo = Math.max(minRatio, Math.min(maxRatio, centre - half));
        double hi = Math.max(minRatio, Math.min(maxRatio, centre + half));
        SplittableRandom random = new SplittableRandom(request.seed());
        for (int draw = 1; draw <= maxDraws; draw++) {
            // Up to 100,000 draws, each a surgery plan and a cost sum: a long loop without data batches.
            CancellationToken.checkpoint();
            for (int i = 0; i < ratios.length; i++) {
                ratios[i] = lo + (hi - lo) * random.nextDouble();
            }
            PruningPlan plan = order.plan(counts(order, ratios, keep));
            double achieved = cost.fraction(plan);
            if (achieved <= target && achieved >= target - tolerance) {
                return new Candidate(cost.result(NAME, plan), ratios.clone(), draw);
            }
        }
        throw new IllegalArgumentException(String.format(Locale.ROOT, "EagleEye: none of %d random ratio vectors in "
                + "[%.3f, %.3f] landed in the %s window [%.3f, %.3f]; widen the tolerance (eagleeye.tolerance) or the "
                + "ratio bounds (eagleeye.min-ratio, eagleeye.max-ratio), or allow more draws (eagleeye.max-draws)",
                maxDraws, lo, hi, request.targetKind().label(), target - tolerance, target));
    }

    /** Keep counts for pruning ratios (written into {@code keep}, which is returned). */
    private static int[] counts(ChannelOrder order, double[] ratios, int[] keep) {
        for (int i = 0; i < keep.length; i++) {
            long k = Math.round((1 - ratios[i]) * order.size(i));
            keep[i] = (int) Math.max(order.floor(i), Math.min(order.size(i), k));
        }
        return keep;
    }

    /** The smallest ratio that, applied to every group, meets the target (bisection; cost falls as it grows). */
    private static double uniformRatio(ChannelOrder order, PlanCost cost) {
        double[] ratios = new double[order.count()];
        int[] keep = new int[order.count()];
        double lo = 0;
        double hi = 1;
        java.util.Arrays.fill(ratios, lo);
        if (cost.fits(order.plan(counts(order, ratios, keep)))) {
            return 0;
        }
        for (int step = 0; step < 40; step++) {
            double mid = (lo + hi) / 2;
            java.util.Arrays.fill(ratios, mid);
            if (cost.fits(order.plan(counts(order, ratios, keep)))) {
                hi = mid;
            } else {
                lo = mid;
            }
        }
        return hi;
    }

    public double minRatio() {
        return minRatio;
    }

    public double maxRatio() {
        return maxRatio;
    }

    public double tolerance() {
        return tolerance;
    }
}

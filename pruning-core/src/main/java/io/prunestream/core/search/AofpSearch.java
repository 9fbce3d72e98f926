package io.prunestream.core.search;

import io.prunestream.core.cancel.CancellationToken;
import io.prunestream.core.allocation.AllocationRequest;
import io.prunestream.core.allocation.AllocationResult;
import io.prunestream.core.allocation.ChannelOrder;
import io.prunestream.core.allocation.ChannelRounding;
import io.prunestream.core.allocation.GlobalAllocator;
import io.prunestream.core.allocation.PlanCost;
import io.prunestream.core.data.ImageDataset;
import io.prunestream.core.dependency.ChannelGroup;
import io.prunestream.core.dependency.ChannelSurgery;
import io.prunestream.core.dependency.DependencyGraph;
import io.prunestream.core.dependency.PruningPlan;
import io.prunestream.core.model.ModelPackage;
import java.util.HashMap;
import java.util.Map;

/**
 * AOFP (after Ding et al., "Approximated Oracle Filter Pruning for Destructive CNN Width Optimization",
 * ICML 2019): every channel group searches for which of its channels can go by random halving, judged
 * by the damage their removal does to the next layers' outputs ({@link FeatureMapDamage}, BN in
 * training mode), with no heuristic criterion; see {@link AofpState} for one round trip. In the
 * pipeline the pruner and the evaluator take turns on one {@link AofpState}; {@link #run} plays both
 * parts in one process.
 *
 * <p><b>Budget.</b> The damage threshold decides how far a search cuts. When every group has finished
 * and the plan still costs more than the target, {@link #settle} doubles the threshold and every group
 * searches on among its remaining channels (what was accepted stays accepted), until the plan fits or
 * the round trips run out. A plan that fits with room to spare is backed off towards the target: every
 * group restores the same share of its accepted removals, latest accepted first, the smallest share
 * that still fits. Only when the round trips run out over budget does the global allocator finish the
 * plan; {@link Result#fallback()} then says so, and reports must show it as a fallback, not as AOFP's
 * own result.
 *
 * <p><b>Same as the paper / different.</b> Same: which filters go is searched by random halving, with
 * the damage of each random half credited to its filters, and no norm or other criterion ranks them.
 * Different: the paper accumulates damage while the network trains and searches layer by layer; here
 * the network is frozen, damage is measured on a sample ({@code aofp.sample-images}) per round trip,
 * all groups search at once, and the threshold escalates to meet the job's budget, which the paper
 * does not have.
 *
 * <p><b>Round-to.</b> A group's kept count is rounded up by restoring its latest accepted removals,
 * so a group removes at most what its search accepted.
 */
public final class AofpSearch {
    public static final String NAME = "aofp";
    /** The threshold the first escalation starts from when the search began at zero. */
    static final double ESCALATION_FLOOR = 0.05;

    private AofpSearch() {}

    /**
     * The plan the search ended with, budget met when possible; {@code fallback} when the global
     * allocator had to finish it. {@code threshold} is the damage threshold the search ended at.
     */
    public record Result(AllocationResult allocation, boolean fallback, int roundTrips, double searchedFraction,
            double threshold) {}

    /** The whole search in one process: propose, judge on {@code sample}, repeat until done, then finish. */
    public static Result run(AllocationRequest request, ImageDataset sample, int batchSize, double threshold,
            int maxRoundTrips) {
        ChannelOrder order = new ChannelOrder(request);
        FeatureMapDamage damage = new FeatureMapDamage(sample, batchSize);
        AofpState state = settle(request, AofpState.start(order, threshold, maxRoundTrips, AofpState.DEFAULT_HALVES,
                request.seed()));
        while (!state.done()) {
            CancellationToken.checkpoint();
            state = settle(request, state.judged(damage.measure(request.model(), order, state.proposals())));
        }
        return finish(request, state);
    }

    /**
     * What to do between round trips: nothing while some group is still searching; once all are done,
     * finish if the plan fits, else escalate the threshold (see the class comment).
     */
    public static AofpState settle(AllocationRequest request, AofpState state) {
        if (state.done() || !state.allConverged()) {
            return state;
        }
        PlanCost cost = new PlanCost(request);
        if (cost.fits(searchedPlan(new ChannelOrder(request), state.removals(), 1))) {
            return state.finish();
        }
        AofpState escalated = state.escalated(Math.max(ESCALATION_FLOOR, 2 * state.threshold()));
        return escalated.allConverged() ? state.finish() : escalated;
    }

    /** The searched plan, backed off to the target when it fits, completed by the global allocator when not. */
    public static Result finish(AllocationRequest request, AofpState state) {
        ChannelOrder order = new ChannelOrder(request);
        Map<Integer, int[]> removals = state.removals();
        PruningPlan searched = searchedPlan(order, removals, 1);
        PlanCost cost = new PlanCost(request);
        double searchedFraction = cost.fraction(searched);
        if (cost.fits(searched)) {
            return new Result(cost.result(NAME, backedOff(order, removals, cost)), false, state.roundTrips(),
                    searchedFraction, state.threshold());
        }
        return new Result(cost.result(NAME, globalOnTop(request, searched, cost)), true, state.roundTrips(),
                searchedFraction, state.threshold());
    }

    /**
     * Every group removes the first {@code floor(share × |accepted|)} of its accepted removals, then
     * restores latest-accepted ones until its kept count is aligned to the round-to.
     */
    static PruningPlan searchedPlan(ChannelOrder order, Map<Integer, int[]> removals, double share) {
        Map<Integer, int[]> kept = new HashMap<>();
        for (int i = 0; i < order.count(); i++) {
            int[] accepted = removals.getOrDefault(order.group(i).id(), new int[0]);
            int size = order.size(i);
            int removing = (int) Math.floor(share * accepted.length);
            int keep = ChannelRounding.kept(size - removing, order.floor(i), size, order.roundTo());
            removing = size - keep;
            if (removing <= 0) {
                continue;
            }
            java.util.Set<Integer> gone = new java.util.HashSet<>();
            for (int r = 0; r < removing; r++) {
                gone.add(accepted[r]);
            }
            kept.put(order.group(i).id(), java.util.stream.IntStream.range(0, size).filter(c -> !gone.contains(c))
                    .toArray());
        }
        return new PruningPlan(kept);
    }

    /** The searched removals cut back by the smallest common share in [0, 1] that still fits the budget. */
    private static PruningPlan backedOff(ChannelOrder order, Map<Integer, int[]> removals, PlanCost cost) {
        double lo = 0;
        double hi = 1;
        PruningPlan best = searchedPlan(order, removals, 1);
        for (int step = 0; step < 30 && hi - lo > 1e-4; step++) {
            double t = (lo + hi) / 2;
            PruningPlan plan = searchedPlan(order, removals, t);
            if (cost.fits(plan)) {
                hi = t;
                best = plan;
            } else {
                lo = t;
            }
        }
        return best;
    }

    private static PruningPlan globalOnTop(AllocationRequest request, PruningPlan searched, PlanCost cost) {
        ModelPackage cut = ChannelSurgery.apply(request.model(), request.graph(), searched, request.minChannels());
        DependencyGraph cutGraph = DependencyGraph.of(cut.graph());
        Map<Integer, float[]> cutScores = new HashMap<>();
        for (ChannelGroup g : request.graph().prunableGroups()) {
            int[] kept = keptOf(searched, g);
            ChannelGroup same = cutGraph.group(g.id());
            if (same.size() != kept.length || !same.prunable()) {
                throw new IllegalStateException("AOFP fallback: group " + g.id() + " '" + g.name()
                        + "' does not survive surgery as the same group");
            }
            float[] original = request.scoresOf(g.id());
            float[] s = new float[kept.length];
            for (int j = 0; j < kept.length; j++) {
                s[j] = original[kept[j]];
            }
            cutScores.put(g.id(), s);
        }
        long originalCost = request.targetKind().of(io.prunestream.core.cost.CostModel.of(request.model().graph()));
        long cutCost = request.targetKind().of(cost.of(searched));
        double remaining = Math.min(1, request.targetFraction() * originalCost / cutCost);
        AllocationResult onTop = new GlobalAllocator().allocate(AllocationRequest.builder(cut, cutScores)
                .graph(cutGraph).target(request.targetKind(), remaining).minChannels(request.minChannels())
                .roundTo(request.roundTo()).build());
        Map<Integer, int[]> composed = new HashMap<>();
        for (ChannelGroup g : request.graph().prunableGroups()) {
            int[] kept = keptOf(searched, g);
            if (onTop.plan().touches(g.id())) {
                int[] inner = onTop.plan().keptOf(g.id());
                int[] back = new int[inner.length];
                for (int j = 0; j < inner.length; j++) {
                    back[j] = kept[inner[j]];
                }
                composed.put(g.id(), back);
            } else if (searched.touches(g.id())) {
                composed.put(g.id(), kept);
            }
        }
        return new PruningPlan(composed);
    }

    private static int[] keptOf(PruningPlan plan, ChannelGroup g) {
        return plan.touches(g.id()) ? plan.keptOf(g.id()) : java.util.stream.IntStream.range(0, g.size()).toArray();
    }
}

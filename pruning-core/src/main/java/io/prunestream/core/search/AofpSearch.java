package io.prunestream.core.search;

import io.prunestream.core.cancel.CancellationToken;
import io.prunestream.core.allocation.AllocationRequest;
import io.prunestream.core.allocation.AllocationResult;
import io.prunestream.core.allocation.ChannelOrder;
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
 * AOFP (after Ding et al., "Approximated Oracle Filter Pruning", ICML 2019): a binary search per
 * channel group for how many lowest-ranked channels can go before the next layers' outputs change by
 * more than a threshold ({@link FeatureMapDamage}), see {@link AofpState} for the search and why it
 * terminates. In the pipeline the pruner and the evaluator take turns on one {@link AofpState};
 * {@link #run} plays both parts in one process.
 *
 * <p><b>Budget.</b> The threshold, not the budget, decides how far the search cuts, so its plan may
 * still cost more than the target. {@link #finish} then removes more channels with the global
 * allocator on top of the searched plan: the searched model is cut by surgery, the global allocator
 * meets the remaining budget on it (scores carried over), and the two plans are composed. The result
 * says whether this fallback was needed. A plan that fits with room to spare is backed off towards the
 * target instead: every group removes the same fraction {@code t} of what its search allowed, with the
 * smallest {@code t} that still fits. The search's verdict (how far each layer can go relative to the
 * others) is kept, but the job gets the size it asked for rather than a smaller, less accurate one.
 *
 * <p><b>Round-to.</b> The search judges channel counts one by one; the plans built from its result
 * round each kept count up ({@link ChannelOrder#plan}), so a group removes at most what its search
 * accepted, a subset of the channels judged. The fallback's global allocator gets the same round-to
 * on the cut model, whose groups are already aligned (or whole), so composed counts stay aligned.
 */
public final class AofpSearch {
    public static final String NAME = "aofp";

    private AofpSearch() {}

    /** The plan the search ended with, budget met, and whether the global fallback had to finish it. */
    public record Result(AllocationResult allocation, boolean fallback, int roundTrips, double searchedFraction) {}

    /** The whole search in one process: propose, judge on {@code sample}, repeat until done, then finish. */
    public static Result run(AllocationRequest request, ImageDataset sample, int batchSize, double threshold,
            int maxRoundTrips) {
        ChannelOrder order = new ChannelOrder(request);
        FeatureMapDamage damage = new FeatureMapDamage(sample, batchSize);
        AofpState state = AofpState.start(order, threshold, maxRoundTrips);
        while (!state.done()) {
            CancellationToken.checkpoint();
            state = state.judged(damage.measure(request.model(), order, state.proposals()));
        }
        return finish(request, state);
    }

    /** The searched plan, completed by the global allocator when it exceeds the target. */
    public static Result finish(AllocationRequest request, AofpState state) {
        ChannelOrder order = new ChannelOrder(request);
        Map<Integer, Integer> removals = state.removals();
        int[] keep = new int[order.count()];
        for (int i = 0; i < keep.length; i++) {
            keep[i] = order.size(i) - removals.getOrDefault(order.group(i).id(), 0);
        }
        PruningPlan searched = order.plan(keep);
        PlanCost cost = new PlanCost(request);
        double searchedFraction = cost.fraction(searched);
        if (cost.fits(searched)) {
            return new Result(cost.result(NAME, backedOff(order, keep, cost)), false, state.roundTrips(),
                    searchedFraction);
        }
        return new Result(cost.result(NAME, globalOnTop(request, searched, cost)), true, state.roundTrips(),
                searchedFraction);
    }

    /** The searched removals scaled by the smallest common factor in [0, 1] that still fits the budget. */
    private static PruningPlan backedOff(ChannelOrder order, int[] searchedKeep, PlanCost cost) {
        double lo = 0;
        double hi = 1;
        PruningPlan best = order.plan(searchedKeep);
        for (int step = 0; step < 30 && hi - lo > 1e-4; step++) {
            double t = (lo + hi) / 2;
            PruningPlan plan = order.plan(scaledKeep(order, searchedKeep, t));
            if (cost.fits(plan)) {
                hi = t;
                best = plan;
            } else {
                lo = t;
            }
        }
        return best;
    }

    private static int[] scaledKeep(ChannelOrder order, int[] searchedKeep, double t) {
        int[] keep = new int[searchedKeep.length];
        for (int i = 0; i < keep.length; i++) {
            int removable = order.size(i) - searchedKeep[i];
            keep[i] = order.size(i) - (int) Math.floor(t * removable);
        }
        return keep;
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

package io.prunestream.core.allocation;

import io.prunestream.core.cost.CostModel;
import io.prunestream.core.cost.CostReport;
import io.prunestream.core.dependency.ChannelSurgery;
import io.prunestream.core.dependency.PruningPlan;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Costs plans against a request's target. Only the spec is pruned (no weights are sliced), and
 * costs are remembered per vector of kept-channel counts, the only thing cost depends on: once a
 * bisection narrows below the rounding steps of the counts it keeps proposing plans it has seen.
 */
public final class PlanCost {
    private final AllocationRequest request;
    private final CostReport original;
    private final double budget;
    private final Map<List<Integer>, CostReport> seen = new HashMap<>();

    public PlanCost(AllocationRequest request) {
        this.request = request;
        this.original = CostModel.of(request.model().graph());
        this.budget = request.targetFraction() * request.targetKind().of(original);
    }

    public CostReport of(PruningPlan plan) {
        return seen.computeIfAbsent(keptCounts(plan),
                k -> CostModel.of(ChannelSurgery.applyToSpec(request.model().spec(), request.graph(), plan)));
    }

    private static List<Integer> keptCounts(PruningPlan plan) {
        List<Integer> key = new ArrayList<>(2 * plan.kept().size());
        plan.kept().forEach((group, kept) -> {
            key.add(group);
            key.add(kept.length);
        });
        return key;
    }

    public boolean fits(PruningPlan plan) {
        return fits(of(plan));
    }

    private boolean fits(CostReport cost) {
        return request.targetKind().of(cost) <= budget;
    }

    /** The plan's cost of the target's kind as a fraction of the original's. */
    public double fraction(PruningPlan plan) {
        long original = request.targetKind().of(this.original);
        return original == 0 ? 1.0 : (double) request.targetKind().of(of(plan)) / original;
    }

    public AllocationResult result(String allocator, PruningPlan plan) {
        CostReport pruned = of(plan);
        return new AllocationResult(allocator, plan, request.targetKind(), request.targetFraction(), original.macs(),
                pruned.macs(), original.params(), pruned.params(), fits(pruned));
    }
}

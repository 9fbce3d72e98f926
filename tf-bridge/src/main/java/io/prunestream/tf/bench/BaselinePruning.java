package io.prunestream.tf.bench;

import io.prunestream.core.allocation.AllocationRequest;
import io.prunestream.core.allocation.AllocationResult;
import io.prunestream.core.allocation.TargetKind;
import io.prunestream.core.allocation.UniformAllocator;
import io.prunestream.core.dependency.ChannelSurgery;
import io.prunestream.core.importance.L1Criterion;
import io.prunestream.core.importance.ScoringContext;
import io.prunestream.core.model.ModelPackage;

/** The simplest pruning that needs no data: L1 filter norms, the same ratio in every group, no fine-tuning. */
public final class BaselinePruning {
    private BaselinePruning() {}

    /** The pruned package and what the allocation achieved. */
    public record Result(ModelPackage pruned, AllocationResult allocation) {}

    public static Result toFlops(ModelPackage pkg, double fraction) {
        ScoringContext ctx = ScoringContext.of(pkg);
        AllocationRequest request = AllocationRequest.builder(pkg, new L1Criterion().scorePrunableGroups(ctx))
                .graph(ctx.graph()).target(TargetKind.FLOPS, fraction).build();
        AllocationResult result = new UniformAllocator().allocate(request);
        return new Result(ChannelSurgery.apply(pkg, request.graph(), result.plan()), result);
    }
}

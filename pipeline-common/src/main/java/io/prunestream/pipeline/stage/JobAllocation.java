package io.prunestream.pipeline.stage;

import io.prunestream.core.allocation.AllocationRequest;
import io.prunestream.core.allocation.AllocationResult;
import io.prunestream.core.allocation.ChannelRounding;
import io.prunestream.core.allocation.TargetKind;
import io.prunestream.core.model.ModelPackage;
import io.prunestream.pipeline.JobSpec;
import java.util.Map;

/**
 * What a job asks of an allocation (target, floor of channels, round-to), in one place: every prune
 * strategy ({@link PruneStage}, {@link AofpPruning}, {@link DsaStage}) builds its request here, so a
 * new job field cannot reach one strategy and miss another.
 */
final class JobAllocation {
    private JobAllocation() {}

    /** The job's request over {@code scores}; callers add the graph or seed they have. */
    static AllocationRequest.Builder request(JobSpec spec, ModelPackage model, Map<Integer, float[]> scores) {
        return AllocationRequest.builder(model, scores)
                .target(spec.targetKind(), spec.targetFraction())
                .minChannels(spec.minChannels())
                .roundTo(spec.roundTo());
    }

    /** The failure of a plan that misses the target, naming the job fields that bound it. */
    static StageFailure impossibleTarget(JobSpec spec, AllocationResult allocation) {
        String rounding = spec.roundTo() == ChannelRounding.NONE ? ""
                : ", rounded up to a multiple of " + spec.roundTo() + " (roundTo; 1 = no rounding)";
        return new StageFailure("impossible target: " + allocation.summary() + " with at least " + spec.minChannels()
                + " channel(s) per group" + rounding);
    }
}

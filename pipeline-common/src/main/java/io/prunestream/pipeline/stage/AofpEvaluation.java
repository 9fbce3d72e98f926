package io.prunestream.pipeline.stage;

import io.prunestream.core.allocation.AllocationRequest;
import io.prunestream.core.allocation.ChannelOrder;
import io.prunestream.core.data.ImageDataset;
import io.prunestream.core.dependency.DependencyGraph;
import io.prunestream.core.evaluation.AdaptiveBatchNorm;
import io.prunestream.core.model.ModelPackage;
import io.prunestream.core.search.AofpState;
import io.prunestream.core.search.FeatureMapDamage;
import io.prunestream.pipeline.ArtifactRoles;
import io.prunestream.pipeline.JobMessage;
import io.prunestream.pipeline.MethodOptions;
import io.prunestream.pipeline.Stage;
import io.prunestream.pipeline.StageKind;
import java.util.Map;

/**
 * {@code evaluate:aofp}: the evaluator's turn in AOFP's search. While the search is not done it
 * measures the feature-map damage of every proposal on a seeded sample of the training split
 * ({@code aofp.sample-images}), records the verdicts in a new search state and loops the job back to
 * {@code prune:aofp}: a proposal judged too damaging is a rejected candidate travelling back. The
 * search bounds its own round trips ({@code aofp.max-round-trips}), not the job's {@code maxRounds}.
 * Once the pruner sends the finished candidate, it is recalibrated with adaptive BN, scored on the
 * held-out split and sent on: the search already was the acceptance test.
 */
final class AofpEvaluation {
    private static final int BATCH_SIZE = 64;

    StageOutcome handle(JobMessage message, StageContext context) {
        AofpState state = AofpPruning.readState(message, context);
        if (state.done()) {
            EvaluateStage.Judged judged = EvaluateStage.judge(message, context, AdaptiveBatchNorm.Mode.EMA);
            return StageOutcome.forward(EvaluateStage.accept(message, judged.record(), judged.baseline()),
                    judged.values());
        }
        ModelPackage model = context.store().loadModel(message.artifact(ArtifactRoles.MODEL));
        AllocationRequest request = AofpPruning.request(message, context, model, DependencyGraph.of(model.graph()));
        ImageDataset sample = context.datasets().forJob(message.spec(), model.spec()).train()
                .sample(MethodOptions.AOFP_SAMPLE_IMAGES.intOf(message.spec()), message.spec().seed());
        Map<Integer, java.util.List<int[]>> proposals = state.proposals();
        Map<Integer, double[]> damage = new FeatureMapDamage(sample, BATCH_SIZE).measure(model,
                new ChannelOrder(request), proposals);
        AofpState next = state.judged(damage);
        long accepted = damage.values().stream()
                .filter(d -> java.util.Arrays.stream(d).min().orElse(Double.POSITIVE_INFINITY) <= state.threshold())
                .count();
        String note = String.format("aofp round trip %d: %d of %d group(s) removed a random half within damage %.3f",
                next.roundTrips(), accepted, proposals.size(), state.threshold());
        Map<String, Double> values = Map.of("accepted", (double) accepted, "proposals", (double) proposals.size(),
                "roundTrip", (double) next.roundTrips());
        context.progress(message, note, values);
        return StageOutcome.forward(message.withArtifact(ArtifactRoles.SEARCH_STATE,
                AofpPruning.writeState(message, context, next)).loopBack(note, Stage.of(StageKind.PRUNE,
                AofpPruning.VARIANT), message.stage()), values);
    }
}

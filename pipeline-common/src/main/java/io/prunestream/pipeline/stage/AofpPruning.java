package io.prunestream.pipeline.stage;

import io.prunestream.core.allocation.AllocationRequest;
import io.prunestream.core.allocation.ChannelOrder;
import io.prunestream.core.dependency.ChannelSurgery;
import io.prunestream.core.dependency.DependencyGraph;
import io.prunestream.core.model.ModelPackage;
import io.prunestream.core.search.AofpSearch;
import io.prunestream.core.search.AofpState;
import io.prunestream.pipeline.ArtifactRef;
import io.prunestream.pipeline.ArtifactRoles;
import io.prunestream.pipeline.JobMessage;
import io.prunestream.pipeline.JobSpec;
import io.prunestream.pipeline.MethodOptions;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code prune:aofp}: the pruner's turn in AOFP's search. Without a search state it starts one
 * ({@code aofp.damage-threshold}, {@code aofp.max-round-trips}); while the search is not done it sends
 * the state, holding the next proposals, to {@code evaluate:aofp}, which judges them and loops the job
 * back here ({@link AofpEvaluation}). Once the search is done it cuts the result, completing it with the
 * global allocator if it misses the budget ({@link AofpSearch#finish}, reported as an event, a note in
 * the job's history and the metric {@code aofpFallback}), and sends the candidate to the evaluator.
 */
final class AofpPruning {
    static final String VARIANT = "aofp";

    StageOutcome handle(JobMessage message, StageContext context) {
        JobSpec spec = message.spec();
        ModelPackage model = context.store().loadModel(message.artifact(ArtifactRoles.MODEL));
        DependencyGraph graph = DependencyGraph.of(model.graph());
        AllocationRequest request = request(message, context, model, graph);
        AofpState state = AofpSearch.settle(request, message.artifacts().containsKey(ArtifactRoles.SEARCH_STATE)
                ? readState(message, context)
                : AofpState.start(new ChannelOrder(request), MethodOptions.AOFP_DAMAGE_THRESHOLD.of(spec),
                        MethodOptions.AOFP_MAX_ROUND_TRIPS.intOf(spec), MethodOptions.AOFP_HALVES.intOf(spec),
                        spec.seed()));
        context.ledger().put(message.jobId(), "prune-stage", message.stage().toString());
        if (!state.done()) {
            context.progress(message, String.format(java.util.Locale.ROOT, "aofp round trip %d: %d group(s) propose "
                    + "random halves of their candidate channels (damage threshold %.3f)", state.roundTrips() + 1,
                    state.proposals().size(), state.threshold()), Map.of("proposals", state.proposals().size(),
                    "threshold", state.threshold()));
            return StageOutcome.forward(message.withArtifact(ArtifactRoles.SEARCH_STATE, writeState(message, context,
                    state)).advance(), Map.of("proposals", (double) state.proposals().size()));
        }
        AofpSearch.Result result = AofpSearch.finish(request, state);
        if (!result.allocation().targetMet()) {
            throw JobAllocation.impossibleTarget(spec, result.allocation());
        }
        ModelPackage pruned = ChannelSurgery.apply(model, graph, result.allocation().plan(), spec.minChannels());
        ArtifactRef ref = context.store().putModel(message.jobId() + "/aofp-candidate", pruned);
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("flopsFraction", result.allocation().achievedFlopsFraction());
        metrics.put("paramsFraction", result.allocation().achievedParamsFraction());
        metrics.put("aofpRoundTrips", (double) result.roundTrips());
        metrics.put("aofpFallback", result.fallback() ? 1.0 : 0.0);
        metrics.put("aofpThreshold", result.threshold());
        String summary = String.format("aofp search done after %d round trip(s) at damage threshold %.3f: searched "
                + "plan at %.1f%% of the original %s; %s", result.roundTrips(), result.threshold(),
                100 * result.searchedFraction(), request.targetKind().label(), result.fallback()
                        ? "over budget, completed by the global allocator: " + result.allocation().summary()
                        : result.allocation().summary());
        context.progress(message, summary, metrics);
        JobMessage next = message.withCandidate(0).withArtifact(ArtifactRoles.CANDIDATE, ref)
                .withCandidateMetrics(metrics);
        if (result.fallback()) {
            next = next.withNote(summary);
        }
        return StageOutcome.forward(next.advance(), metrics);
    }

    static AllocationRequest request(JobMessage message, StageContext context, ModelPackage model, DependencyGraph graph) {
        ScoreArtifact scores = ScoreArtifact.fromBytes(context.store().read(message.artifact(ArtifactRoles.SCORES)));
        return JobAllocation.request(message.spec(), model, scores.groups()).graph(graph).build();
    }

    static AofpState readState(JobMessage message, StageContext context) {
        try {
            return AofpState.fromJson(new String(context.store().read(message.artifact(ArtifactRoles.SEARCH_STATE)),
                    StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            throw new StageFailure(e.getMessage(), e);
        }
    }

    static ArtifactRef writeState(JobMessage message, StageContext context, AofpState state) {
        return context.store().putBytes(message.jobId() + "/aofp-state-r" + message.round() + ".json",
                state.toJson().getBytes(StandardCharsets.UTF_8));
    }
}

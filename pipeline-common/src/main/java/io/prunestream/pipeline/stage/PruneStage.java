package io.prunestream.pipeline.stage;

import io.prunestream.core.allocation.AllocationRequest;
import io.prunestream.core.allocation.AllocationResult;
import io.prunestream.core.allocation.Allocators;
import io.prunestream.core.allocation.RatioAllocator;
import io.prunestream.core.dependency.ChannelSurgery;
import io.prunestream.core.dependency.DependencyGraph;
import io.prunestream.core.model.ModelPackage;
import io.prunestream.pipeline.ArtifactRef;
import io.prunestream.pipeline.ArtifactRoles;
import io.prunestream.pipeline.JobMessage;
import io.prunestream.pipeline.JobSpec;
import io.prunestream.pipeline.MethodOptions;
import io.prunestream.core.search.EagleEyeAllocator;
import io.prunestream.core.search.RatioProjection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Set;
import io.prunestream.pipeline.StageKind;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Allocates the budget and cuts, by the stage's variant (else the job's allocation):
 * <ul>
 *   <li>an allocator ({@code uniform}, {@code global}): the first candidate of the first round follows
 *       the scores exactly; every other candidate (more of them per round, or later rounds after a
 *       rejection) follows scores jittered by seeded log-normal noise, so the evaluator chooses among
 *       genuinely different cuts;</li>
 *   <li>{@code eagleeye}: every candidate of every round is a fresh random draw of per-layer ratios with
 *       its own seed ({@code seed + 1000 round + k}); the scores, unjittered, pick channels in a layer;</li>
 *   <li>{@code dsa}: the keep ratios {@code finetune:dsa} learned ({@link ArtifactRoles#RATIOS}), projected
 *       onto the budget ({@link RatioProjection}); further candidates jitter the scores as above;</li>
 *   <li>{@code aofp}: one step of AOFP's search conversation ({@link AofpPruning}).</li>
 * </ul>
 * A record makes one candidate (its {@code candidate} index) and, unless it was the round's last,
 * sends the record for the next one back to this stage.
 */
public final class PruneStage implements StageHandler {
    /** Spread of the multiplicative score noise for alternative candidates. */
    static final double JITTER = 0.25;

    @Override
    public StageKind kind() {
        return StageKind.PRUNE;
    }

    static final String DSA = "dsa";

    /**
     * Every variant this stage runs: each {@link Allocators} entry, and the strategies that are the
     * pipeline's own (AOFP's search, DSA's learned ratios, the cut after sparse training).
     */
    static final Set<String> VARIANTS;

    static {
        Set<String> variants = new LinkedHashSet<>(Allocators.names());
        variants.add(AofpPruning.VARIANT);
        variants.add(DSA);
        variants.add(MaskPruning.VARIANT);
        VARIANTS = Collections.unmodifiableSet(variants);
    }

    @Override
    public StageOutcome handle(JobMessage message, StageContext context) {
        JobSpec spec = message.spec();
        String variant = StageVariants.require(message.stage(), spec);
        if (variant.equals(MaskPruning.VARIANT)) {
            return new MaskPruning().handle(message, context);
        }
        if (variant.equals(AofpPruning.VARIANT)) {
            return new AofpPruning().handle(message, context);
        }
        RatioAllocator allocator = allocator(variant, message, context);
        boolean random = allocator instanceof EagleEyeAllocator;
        ModelPackage model = context.store().loadModel(message.artifact(ArtifactRoles.MODEL));
        DependencyGraph graph = DependencyGraph.of(model.graph());
        ScoreArtifact scores = ScoreArtifact.fromBytes(context.store().read(message.artifact(ArtifactRoles.SCORES)));
        // The evaluator loops rejected rounds back through this same stage (variant included).
        context.ledger().put(message.jobId(), "prune-stage", message.stage().toString());
        // One candidate per record, the next one asked for by a record to this same stage: a job of 16
        // candidates takes the pruner 16 short turns, queued behind other jobs' records on its
        // partition, instead of one long one that every other job waits behind; and nothing is made
        // ahead of need, since the next candidate is made only when the pruner gets to it.
        int k = message.candidate();
        long seed = spec.seed() + 1000L * message.round() + k;
        Map<Integer, float[]> candidateScores = (random || (k == 0 && message.round() == 0))
                ? scores.groups() : jitter(scores.groups(), seed);
        AllocationResult allocation = allocator.allocate(JobAllocation.request(spec, model, candidateScores)
                .graph(graph).seed(seed).build());
        if (!allocation.targetMet()) {
            throw JobAllocation.impossibleTarget(spec, allocation);
        }
        context.deadline().check();
        ModelPackage pruned = ChannelSurgery.apply(model, graph, allocation.plan(), spec.minChannels());
        ArtifactRef ref = context.store().putModel(message.jobId() + "/r" + message.round() + "-candidate" + k, pruned);
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("flopsFraction", allocation.achievedFlopsFraction());
        metrics.put("paramsFraction", allocation.achievedParamsFraction());
        List<JobMessage> out = new ArrayList<>();
        out.add(message.withArtifact(ArtifactRoles.CANDIDATE, ref).withCandidateMetrics(metrics).advance());
        if (k + 1 < spec.candidates()) {
            out.add(message.withCandidate(k + 1));
        }
        context.progress(message, "candidate " + (k + 1) + "/" + spec.candidates() + ": " + allocation.summary(),
                metrics);
        return new StageOutcome(out, null, Map.of("candidate", (double) k,
                "achievedFraction", allocation.achievedFraction()));
    }

    private static RatioAllocator allocator(String variant, JobMessage message, StageContext context) {
        JobSpec spec = message.spec();
        return switch (variant) {
            case EagleEyeAllocator.NAME -> new EagleEyeAllocator(MethodOptions.EAGLEEYE_MIN_RATIO.of(spec),
                    MethodOptions.EAGLEEYE_MAX_RATIO.of(spec), MethodOptions.EAGLEEYE_TOLERANCE.of(spec),
                    MethodOptions.EAGLEEYE_MAX_DRAWS.intOf(spec));
            case DSA -> {
                Map<Integer, Double> ratios = DsaStage.readRatios(context.store().read(
                        message.artifact(ArtifactRoles.RATIOS)));
                yield new RatioAllocator() {
                    @Override
                    public String name() {
                        return DSA;
                    }

                    @Override
                    public AllocationResult allocate(AllocationRequest request) {
                        return RatioProjection.project(DSA, request, ratios).allocation();
                    }
                };
            }
            default -> Allocators.byName(variant);
        };
    }

    static Map<Integer, float[]> jitter(Map<Integer, float[]> scores, long seed) {
        Random random = new Random(seed);
        Map<Integer, float[]> out = new LinkedHashMap<>();
        scores.forEach((group, values) -> {
            float[] v = values.clone();
            for (int i = 0; i < v.length; i++) {
                v[i] *= (float) Math.exp(JITTER * random.nextGaussian());
            }
            out.put(group, v);
        });
        return out;
    }
}

package io.prunestream.pipeline.stage;

import io.prunestream.core.cost.CostModel;
import io.prunestream.core.gal.BlockRemoval;
import io.prunestream.core.gal.MaskPlan;
import io.prunestream.core.model.ModelPackage;
import io.prunestream.pipeline.ArtifactRef;
import io.prunestream.pipeline.ArtifactRoles;
import io.prunestream.pipeline.JobMessage;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code prune:mask}: cuts the channels whose GAL mask is zero and folds the other masks into the
 * weights ({@link MaskPlan}), or, for per-block masks (artifact {@code gal-block-masks}), removes the
 * zero-mask residual blocks and folds the others ({@link BlockRemoval}), giving one candidate. The budget comes from GAL's {@code gal.lambda},
 * not from the job's target; the achieved FLOPs and params fractions are reported as usual.
 */
final class MaskPruning {
    /** The prune variant this class serves; it names no allocator. */
    static final String VARIANT = "mask";

    StageOutcome handle(JobMessage message, StageContext context) {
        if (!message.artifacts().containsKey(ArtifactRoles.MASKS)) {
            throw new StageFailure("prune:mask needs the masks of a finetune:gal stage earlier in the slip");
        }
        if (message.spec().candidates() != 1) {
            throw new StageFailure("prune:mask makes exactly one candidate (the zero-mask cut), but the job asks for "
                    + message.spec().candidates() + ": set candidates to 1");
        }
        ModelPackage student = context.store().loadModel(message.artifact(ArtifactRoles.MODEL));
        ScoreArtifact masks = ScoreArtifact.fromBytes(context.store().read(message.artifact(ArtifactRoles.MASKS)));
        boolean blocks = GalTraining.BLOCK_MASKS_NAME.equals(masks.criterion());
        if (!blocks && !GalTraining.MASKS_NAME.equals(masks.criterion())) {
            throw new StageFailure("prune:mask needs GAL masks, but the masks artifact holds '" + masks.criterion()
                    + "' (expected '" + GalTraining.MASKS_NAME + "' or '" + GalTraining.BLOCK_MASKS_NAME + "')");
        }
        ModelPackage pruned;
        try {
            pruned = blocks ? BlockRemoval.prune(student, masks.groups())
                    : MaskPlan.prune(student, masks.groups(), message.spec().minChannels(),
                            message.spec().roundTo());
        } catch (IllegalArgumentException e) {
            throw new StageFailure("masks do not fit model '" + student.spec().name() + "': " + e.getMessage(), e);
        }
        ArtifactRef ref = context.store().putModel(message.jobId() + "/r" + message.round() + "-candidate0", pruned);
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("flopsFraction", (double) CostModel.of(pruned.spec()).macs() / CostModel.of(student.spec()).macs());
        metrics.put("paramsFraction",
                (double) CostModel.of(pruned.spec()).params() / CostModel.of(student.spec()).params());
        context.progress(message, String.format("cut the zero-mask %s: %.3f of the FLOPs, %.3f of the params",
                blocks ? "residual blocks" : "channels", metrics.get("flopsFraction"), metrics.get("paramsFraction")),
                metrics);
        JobMessage next = message.withCandidate(0).withArtifact(ArtifactRoles.CANDIDATE, ref)
                .withCandidateMetrics(metrics).advance();
        Map<String, Double> values = new LinkedHashMap<>(metrics);
        values.put("candidates", 1.0);
        return new StageOutcome(List.of(next), null, values);
    }
}

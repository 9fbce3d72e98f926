package io.prunestream.pipeline.stage;

import ai.djl.engine.Engine;
import io.prunestream.core.data.DataSplits;
import io.prunestream.core.gal.GalConfig;
import io.prunestream.core.gal.GalResult;
import io.prunestream.core.gal.GalTrainer;
import io.prunestream.core.gal.MaskGranularity;
import io.prunestream.core.model.ModelPackage;
import io.prunestream.core.train.TrainingConfig;
import io.prunestream.pipeline.ArtifactRef;
import io.prunestream.pipeline.ArtifactRoles;
import io.prunestream.pipeline.JobMessage;
import io.prunestream.pipeline.JobSpec;
import io.prunestream.pipeline.MethodOptions;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code finetune:gal}: adversarial training of the job's model with soft masks, one per channel or,
 * with {@code gal.block-masks = 1}, one per residual block ({@link GalTrainer}, knobs {@code gal.*}). The trained student becomes the job's
 * {@link ArtifactRoles#MODEL} and its masks go under {@link ArtifactRoles#MASKS} for {@code prune:mask}, named after their granularity;
 * the submitted model stays under {@link ArtifactRoles#SUBMITTED}. Each epoch reports loss, accuracy
 * against the labels and mask sparsity.
 */
final class GalTraining {
    /** Name the masks artifact carries where a score artifact carries its criterion: channel masks. */
    static final String MASKS_NAME = "gal-masks";
    /** The same for one mask per residual block ({@code gal.block-masks = 1}). */
    static final String BLOCK_MASKS_NAME = "gal-block-masks";

    StageOutcome handle(JobMessage message, StageContext context) {
        JobSpec spec = message.spec();
        ModelPackage model = context.store().loadModel(message.artifact(ArtifactRoles.MODEL));
        DataSplits data = context.datasets().forJob(spec, model.spec());
        TrainingConfig.Builder training = TrainingConfig.builder().epochs(MethodOptions.GAL_EPOCHS.intOf(spec))
                .learningRate(spec.learningRate()).seed(spec.seed());
        if (MethodOptions.GAL_STEPS.intOf(spec) > 0) {
            training.maxBatchesPerEpoch(MethodOptions.GAL_STEPS.intOf(spec));
        }
        GalConfig gal = new GalConfig(MethodOptions.GAL_LAMBDA.of(spec), MethodOptions.GAL_ADVERSARIAL_WEIGHT.of(spec),
                MethodOptions.GAL_MASK_LEARNING_RATE.of(spec), MethodOptions.GAL_DISCRIMINATOR_LEARNING_RATE.of(spec),
                MethodOptions.GAL_BLOCK_MASKS.intOf(spec) == 1 ? MaskGranularity.BLOCKS : MaskGranularity.CHANNELS,
                MethodOptions.GAL_MASK_STEP.intOf(spec));
        context.progress(message, "GAL for " + MethodOptions.GAL_EPOCHS.intOf(spec) + " epoch(s), one mask per "
                + (gal.granularity() == MaskGranularity.BLOCKS ? "residual block" : "channel") + ", on "
                + Engine.getInstance().defaultDevice(), Map.of("lambda", gal.lambda()));
        GalResult result;
        try {
            result = new GalTrainer(training.build(), gal, new TrainingEvents(message, context),
                    epoch -> context.progress(message, String.format("GAL epoch %d: mask sparsity %.4f, "
                            + "discriminator loss %.4f", epoch.student().epoch(), epoch.maskSparsity(),
                            epoch.discriminatorLoss()), Map.of("epoch", epoch.student().epoch(), "maskSparsity",
                            epoch.maskSparsity(), "discriminatorLoss", epoch.discriminatorLoss())),
                    Engine.getInstance().defaultDevice()).train(model, data.train());
        } catch (IllegalArgumentException e) {
            throw new StageFailure("GAL cannot train model '" + model.spec().name() + "': " + e.getMessage(), e);
        }
        ArtifactRef student = context.store().putModel(message.jobId() + "/gal-student", result.student());
        ArtifactRef masks = context.store().putBytes(message.jobId() + "/gal-masks",
                new ScoreArtifact(gal.granularity() == MaskGranularity.BLOCKS ? BLOCK_MASKS_NAME : MASKS_NAME,
                        result.masks()).toBytes());
        Map<String, Double> values = new LinkedHashMap<>();
        values.put("trainLoss", result.lastEpoch().student().trainLoss());
        values.put("trainAccuracy", result.lastEpoch().student().trainAccuracy());
        values.put("maskSparsity", result.maskSparsity());
        values.put("discriminatorLoss", result.lastEpoch().discriminatorLoss());
        return StageOutcome.forward(ArtifactRoles.replaceModel(message, student).withArtifact(ArtifactRoles.MASKS, masks)
                .advance(), values);
    }
}

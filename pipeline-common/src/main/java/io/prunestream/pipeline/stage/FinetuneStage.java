package io.prunestream.pipeline.stage;

import ai.djl.engine.Engine;
import io.prunestream.core.data.DataSplits;
import io.prunestream.core.model.ModelPackage;
import io.prunestream.core.train.ModelTrainer;
import io.prunestream.core.train.TrainingConfig;
import io.prunestream.core.train.TrainingResult;
import io.prunestream.pipeline.ArtifactRef;
import io.prunestream.pipeline.ArtifactRoles;
import io.prunestream.pipeline.JobMessage;
import io.prunestream.pipeline.JobSpec;
import io.prunestream.pipeline.StageKind;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Fine-tunes the accepted candidate on the training split, on the engine's default device (a GPU
 * when the engine reports one). Progress goes out as events about every tenth of an epoch, and the
 * stage's deadline is checked between optimiser steps.
 *
 * <p>Training that diverges, in any variant, stops at its first non-finite step with a
 * {@link io.prunestream.core.train.TrainingDivergedException}; the {@link StageRunner} makes its message
 * the job's error result, so the job ends there instead of carrying NaN weights to later stages.
 */
public final class FinetuneStage implements StageHandler {
    /** One handler per slip variant: the only list of them, which intake validates slips against. */
    /** The variant a slip's finetune stage without one runs. */
    static final String DEFAULT_VARIANT = "plain";

    private static final Map<String, StageHandlerFunction> VARIANT_HANDLERS = new java.util.LinkedHashMap<>();

    static {
        VARIANT_HANDLERS.put("plain", FinetuneStage::finetune);
        VARIANT_HANDLERS.put("dsa", DsaStage::handle);
        VARIANT_HANDLERS.put("sparse", (m, c) -> new SparseTraining().handle(m, c));
        VARIANT_HANDLERS.put("gal", (m, c) -> new GalTraining().handle(m, c));
    }

    /** The methods this stage runs, by slip variant. */
    static final java.util.Set<String> VARIANTS = java.util.Collections.unmodifiableSet(VARIANT_HANDLERS.keySet());

    @Override
    public StageKind kind() {
        return StageKind.FINETUNE;
    }

    @Override
    public StageOutcome handle(JobMessage message, StageContext context) {
        return VARIANT_HANDLERS.get(StageVariants.require(message.stage(), message.spec())).handle(message, context);
    }

    /** Cross-entropy fine-tuning of the accepted candidate, distilled from the submitted model if the job asks. */
    private static StageOutcome finetune(JobMessage message, StageContext context) {
        JobSpec spec = message.spec();
        ArtifactRef candidateRef = message.artifact(ArtifactRoles.CANDIDATE);
        if (spec.finetuneEpochs() == 0) {
            return StageOutcome.forward(message.withArtifact(ArtifactRoles.FINETUNED, candidateRef).advance(),
                    Map.of("epochs", 0.0));
        }
        ModelPackage candidate = context.store().loadModel(candidateRef);
        DataSplits data = context.datasets().forJob(spec, candidate.spec());
        TrainingConfig config = TrainingConfig.builder().epochs(spec.finetuneEpochs()).learningRate(spec.learningRate())
                .seed(spec.seed()).build();
        context.progress(message, "fine-tuning for " + spec.finetuneEpochs() + " epoch(s) on "
                + Engine.getInstance().defaultDevice(), Map.of("epochs", spec.finetuneEpochs()));
        ModelTrainer trainer = Distillation.apply(new ModelTrainer(config, new TrainingEvents(message, context)), message,
                context);
        TrainingResult result = trainer.train(candidate, data.train());
        ArtifactRef ref = context.store().putModel(message.jobId() + "/finetuned-r" + message.round(), result.model());
        Map<String, Double> values = new LinkedHashMap<>();
        values.put("trainLoss", result.lastEpoch().trainLoss());
        values.put("trainAccuracy", result.lastEpoch().trainAccuracy());
        values.put("imagesPerSecond", result.lastEpoch().imagesPerSecond());
        return StageOutcome.forward(message.withArtifact(ArtifactRoles.FINETUNED, ref).advance(), values);
    }
}

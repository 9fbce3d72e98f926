package io.prunestream.pipeline.stage;

import io.prunestream.core.train.DistillationLoss;
import io.prunestream.core.train.ModelTrainer;
import io.prunestream.pipeline.ArtifactRoles;
import io.prunestream.pipeline.JobMessage;
import io.prunestream.pipeline.JobSpec;
import io.prunestream.pipeline.MethodOptions;
import java.util.Map;

/**
 * Fine-tuning distilled from the submitted model when the job's {@code distillation.weight} is above
 * zero (the teacher is {@link ArtifactRoles#submitted}: the model the user sent, not a sparse- or
 * GAL-trained stand-in).
 */
final class Distillation {
    private Distillation() {}

    static boolean wanted(JobSpec spec) {
        return MethodOptions.DISTILLATION_WEIGHT.of(spec) > 0;
    }

    /** {@code trainer}, distilled from the submitted model if the job asks for it. */
    static ModelTrainer apply(ModelTrainer trainer, JobMessage message, StageContext context) {
        JobSpec spec = message.spec();
        if (!wanted(spec)) {
            return trainer;
        }
        DistillationLoss loss = new DistillationLoss(MethodOptions.DISTILLATION_TEMPERATURE.of(spec),
                MethodOptions.DISTILLATION_WEIGHT.of(spec));
        context.progress(message, String.format("distilling from the submitted model (T %.2f, weight %.2f)",
                loss.temperature(), loss.weight()), Map.of("temperature", loss.temperature(), "weight", loss.weight()));
        return trainer.distilledFrom(context.store().loadModel(ArtifactRoles.submitted(message)), loss);
    }
}

package io.prunestream.pipeline.stage;

import ai.djl.engine.Engine;
import io.prunestream.core.data.DataSplits;
import io.prunestream.core.model.ModelPackage;
import io.prunestream.core.train.EpochStats;
import io.prunestream.core.train.ModelTrainer;
import io.prunestream.core.train.ProgressListener;
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
 */
public final class FinetuneStage implements StageHandler {
    @Override
    public StageKind kind() {
        return StageKind.FINETUNE;
    }

    @Override
    public StageOutcome handle(JobMessage message, StageContext context) {
        JobSpec spec = message.spec();
        ArtifactRef candidateRef = message.artifact(ArtifactRoles.CANDIDATE);
        if (spec.finetuneEpochs() == 0) {
            return StageOutcome.forward(message.withArtifact(ArtifactRoles.FINETUNED, candidateRef).advance(),
                    Map.of("epochs", 0.0));
        }
        ModelPackage candidate = context.store().loadModel(candidateRef);
        DataSplits data = context.datasets().forJob(spec, candidate.spec().input());
        TrainingConfig config = TrainingConfig.builder().epochs(spec.finetuneEpochs()).learningRate(spec.learningRate())
                .seed(spec.seed()).build();
        context.progress(message, "fine-tuning for " + spec.finetuneEpochs() + " epoch(s) on "
                + Engine.getInstance().defaultDevice(), Map.of("epochs", spec.finetuneEpochs()));
        TrainingResult result = new ModelTrainer(config, new EventProgress(message, context)).train(candidate, data.train());
        ArtifactRef ref = context.store().putModel(message.jobId() + "/finetuned-r" + message.round(), result.model());
        Map<String, Double> values = new LinkedHashMap<>();
        values.put("trainLoss", result.lastEpoch().trainLoss());
        values.put("trainAccuracy", result.lastEpoch().trainAccuracy());
        values.put("imagesPerSecond", result.lastEpoch().imagesPerSecond());
        return StageOutcome.forward(message.withArtifact(ArtifactRoles.FINETUNED, ref).advance(), values);
    }

    /** Turns training callbacks into events and deadline checks. */
    private static final class EventProgress implements ProgressListener {
        private final JobMessage message;
        private final StageContext context;

        EventProgress(JobMessage message, StageContext context) {
            this.message = message;
            this.context = context;
        }

        @Override
        public void onBatch(int epoch, int batch, int batches, double loss, double accuracy) {
            context.deadline().check();
            int step = Math.max(1, batches / 10);
            if (batch % step == 0 || batch == batches) {
                context.progress(message, String.format("epoch %d batch %d/%d loss %.4f", epoch, batch, batches, loss),
                        Map.of("epoch", epoch, "batch", batch, "batches", batches, "loss", loss, "accuracy", accuracy));
            }
        }

        @Override
        public void onEpoch(EpochStats s) {
            context.progress(message, String.format("epoch %d done: loss %.4f, accuracy %.4f, %.0f images/s", s.epoch(),
                    s.trainLoss(), s.trainAccuracy(), s.imagesPerSecond()), Map.of("epoch", s.epoch(),
                    "loss", s.trainLoss(), "accuracy", s.trainAccuracy(), "imagesPerSecond", s.imagesPerSecond()));
        }
    }
}

package io.prunestream.pipeline.stage;

import io.prunestream.core.train.EpochStats;
import io.prunestream.core.train.ProgressListener;
import io.prunestream.pipeline.JobMessage;
import java.util.Map;

/**
 * Turns training callbacks into job events (about every tenth of an epoch) and checks the stage's
 * deadline between optimiser steps; every training stage reports through it.
 */
final class TrainingEvents implements ProgressListener {
    private final JobMessage message;
    private final StageContext context;

    TrainingEvents(JobMessage message, StageContext context) {
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

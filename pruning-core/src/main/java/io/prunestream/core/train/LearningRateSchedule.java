package io.prunestream.core.train;

import ai.djl.training.tracker.Tracker;

/** How the learning rate moves over the optimiser steps of a whole training run. */
public enum LearningRateSchedule {
    /** The base rate at every step. */
    CONSTANT {
        @Override
        public Tracker tracker(float baseRate, int totalSteps) {
            return Tracker.fixed(baseRate);
        }
    },
    /**
     * Half a cosine from the base rate at step 0 towards 0 at step {@code totalSteps}, as PyTorch's
     * {@code CosineAnnealingLR} with {@code T_max} = all steps: the last step still learns a little.
     */
    COSINE {
        @Override
        public Tracker tracker(float baseRate, int totalSteps) {
            return Tracker.cosine().setBaseValue(baseRate).optFinalValue(0f).setMaxUpdates(totalSteps).build();
        }
    };

    /**
     * The rate as a DJL tracker indexed by 0-based step; the optimiser must count its first update as
     * 0 (see {@link ModelTrainer}), which is also how training history reports it.
     */
    public abstract Tracker tracker(float baseRate, int totalSteps);
}

package io.prunestream.core.train;

import ai.djl.training.loss.Loss;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * Hyper-parameters of one training run: SGD with momentum and weight decay, a learning-rate schedule
 * and a seed for shuffling and engine randomness. The defaults are the usual CIFAR-style recipe for
 * BN networks. The loss is part of the config so that a distillation loss can replace the plain
 * cross-entropy later without touching the training loop.
 *
 * @param maxBatchesPerEpoch caps every epoch at that many batches (for tests and smoke runs)
 */
public record TrainingConfig(
        int epochs,
        int batchSize,
        double learningRate,
        double momentum,
        double weightDecay,
        LearningRateSchedule schedule,
        long seed,
        OptionalInt maxBatchesPerEpoch,
        Loss loss) {

    public static final int DEFAULT_EPOCHS = 1;
    public static final int DEFAULT_BATCH_SIZE = 128;
    public static final double DEFAULT_LEARNING_RATE = 0.1;
    public static final double DEFAULT_MOMENTUM = 0.9;
    public static final double DEFAULT_WEIGHT_DECAY = 5e-4;

    public TrainingConfig {
        if (epochs < 1) {
            throw new IllegalArgumentException("epochs must be at least 1, got " + epochs);
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be at least 1, got " + batchSize);
        }
        if (!(learningRate > 0) || !Double.isFinite(learningRate)) {
            throw new IllegalArgumentException("learningRate must be positive and finite, got " + learningRate);
        }
        if (!(momentum >= 0 && momentum < 1)) {
            throw new IllegalArgumentException("momentum must be in [0, 1), got " + momentum);
        }
        if (!(weightDecay >= 0) || !Double.isFinite(weightDecay)) {
            throw new IllegalArgumentException("weightDecay must be zero or positive and finite, got " + weightDecay);
        }
        Objects.requireNonNull(schedule, "schedule must not be null");
        Objects.requireNonNull(maxBatchesPerEpoch, "maxBatchesPerEpoch must not be null (use OptionalInt.empty())");
        if (maxBatchesPerEpoch.isPresent() && maxBatchesPerEpoch.getAsInt() < 1) {
            throw new IllegalArgumentException(
                    "maxBatchesPerEpoch must be at least 1 when set, got " + maxBatchesPerEpoch.getAsInt());
        }
        Objects.requireNonNull(loss, "loss must not be null");
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Every value at its default. */
    public static TrainingConfig defaults() {
        return builder().build();
    }

    /** A builder holding this config's values, to change a few of them. */
    public Builder toBuilder() {
        return new Builder().epochs(epochs).batchSize(batchSize).learningRate(learningRate).momentum(momentum)
                .weightDecay(weightDecay).schedule(schedule).seed(seed).maxBatchesPerEpoch(maxBatchesPerEpoch)
                .loss(loss);
    }

    /** Batches one epoch runs over a dataset of {@code datasetSize} images. */
    public int batchesPerEpoch(int datasetSize) {
        int all = (datasetSize + batchSize - 1) / batchSize;
        return maxBatchesPerEpoch.isPresent() ? Math.min(all, maxBatchesPerEpoch.getAsInt()) : all;
    }

    /** Collects values; {@link #build()} validates them all at once. */
    public static final class Builder {
        private int epochs = DEFAULT_EPOCHS;
        private int batchSize = DEFAULT_BATCH_SIZE;
        private double learningRate = DEFAULT_LEARNING_RATE;
        private double momentum = DEFAULT_MOMENTUM;
        private double weightDecay = DEFAULT_WEIGHT_DECAY;
        private LearningRateSchedule schedule = LearningRateSchedule.COSINE;
        private long seed;
        private OptionalInt maxBatchesPerEpoch = OptionalInt.empty();
        private Loss loss = Loss.softmaxCrossEntropyLoss();

        private Builder() {}

        public Builder epochs(int value) {
            epochs = value;
            return this;
        }

        public Builder batchSize(int value) {
            batchSize = value;
            return this;
        }

        public Builder learningRate(double value) {
            learningRate = value;
            return this;
        }

        public Builder momentum(double value) {
            momentum = value;
            return this;
        }

        public Builder weightDecay(double value) {
            weightDecay = value;
            return this;
        }

        public Builder schedule(LearningRateSchedule value) {
            schedule = value;
            return this;
        }

        public Builder seed(long value) {
            seed = value;
            return this;
        }

        public Builder maxBatchesPerEpoch(int value) {
            return maxBatchesPerEpoch(OptionalInt.of(value));
        }

        public Builder maxBatchesPerEpoch(OptionalInt value) {
            maxBatchesPerEpoch = value;
            return this;
        }

        public Builder loss(Loss value) {
            loss = value;
            return this;
        }

        public TrainingConfig build() {
            return new TrainingConfig(epochs, batchSize, learningRate, momentum, weightDecay, schedule, seed,
                    maxBatchesPerEpoch, loss);
        }
    }
}

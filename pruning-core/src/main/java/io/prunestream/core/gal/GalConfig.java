package io.prunestream.core.gal;

/**
 * GAL's own knobs; the student's SGD (epochs, batch, learning rate, momentum, weight decay, schedule,
 * seed, steps per epoch) comes from a {@link io.prunestream.core.train.TrainingConfig}.
 *
 * @param lambda weight of the masks' L1 norm (the proximal threshold per step is {@code maskLearningRate * lambda})
 * @param adversarialWeight weight of the adversarial term in the student's loss
 * @param maskLearningRate step size of the masks' proximal gradient step
 * @param discriminatorLearningRate Adam step size of the discriminator
 * @param granularity what one mask scales: a channel of a group (default) or a residual block's branch
 */
public record GalConfig(double lambda, double adversarialWeight, double maskLearningRate,
        double discriminatorLearningRate, MaskGranularity granularity) {
    public static final double DEFAULT_LAMBDA = 0.05;
    public static final double DEFAULT_ADVERSARIAL_WEIGHT = 0.1;
    public static final double DEFAULT_MASK_LEARNING_RATE = 0.01;
    public static final double DEFAULT_DISCRIMINATOR_LEARNING_RATE = 1e-3;

    public GalConfig {
        requireNonNegative("lambda", lambda);
        requireNonNegative("adversarialWeight", adversarialWeight);
        requirePositive("maskLearningRate", maskLearningRate);
        requirePositive("discriminatorLearningRate", discriminatorLearningRate);
        if (granularity == null) {
            throw new IllegalArgumentException("GAL mask granularity is missing (CHANNELS or BLOCKS)");
        }
    }

    /** Channel masks, the default granularity. */
    public GalConfig(double lambda, double adversarialWeight, double maskLearningRate, double discriminatorLearningRate) {
        this(lambda, adversarialWeight, maskLearningRate, discriminatorLearningRate, MaskGranularity.CHANNELS);
    }

    public GalConfig withGranularity(MaskGranularity newGranularity) {
        return new GalConfig(lambda, adversarialWeight, maskLearningRate, discriminatorLearningRate, newGranularity);
    }

    public static GalConfig defaults() {
        return new GalConfig(DEFAULT_LAMBDA, DEFAULT_ADVERSARIAL_WEIGHT, DEFAULT_MASK_LEARNING_RATE,
                DEFAULT_DISCRIMINATOR_LEARNING_RATE);
    }

    private static void requireNonNegative(String name, double v) {
        if (!(v >= 0) || !Double.isFinite(v)) {
            throw new IllegalArgumentException("GAL " + name + " must be zero or positive and finite, got " + v);
        }
    }

    private static void requirePositive(String name, double v) {
        if (!(v > 0) || !Double.isFinite(v)) {
            throw new IllegalArgumentException("GAL " + name + " must be positive and finite, got " + v);
        }
    }
}

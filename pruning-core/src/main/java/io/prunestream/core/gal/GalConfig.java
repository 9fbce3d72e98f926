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
 * @param maskStep the masks take their FISTA step every this many student steps, as the authors' code
 *     does ({@code mask_step}); in between they hold still and BN statistics catch up with them
 */
public record GalConfig(double lambda, double adversarialWeight, double maskLearningRate,
        double discriminatorLearningRate, MaskGranularity granularity, int maskStep) {
    public static final double DEFAULT_LAMBDA = 0.05;
    /** The paper's objective adds the adversarial term unweighted: L_adv + L_data + L_reg. */
    public static final double DEFAULT_ADVERSARIAL_WEIGHT = 1.0;
    /**
     * The authors' code uses 200 on CIFAR runs of hundreds of epochs; runs here are a few hundred steps,
     * so the masks step every 10, which still lets BN statistics settle between mask moves.
     */
    public static final int DEFAULT_MASK_STEP = 10;
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
        if (maskStep < 1) {
            throw new IllegalArgumentException("GAL mask step must be at least 1 (masks step every N student steps), "
                    + "got " + maskStep);
        }
    }

    /** Channel masks, the default granularity, stepping every {@link #DEFAULT_MASK_STEP} student steps. */
    public GalConfig(double lambda, double adversarialWeight, double maskLearningRate, double discriminatorLearningRate) {
        this(lambda, adversarialWeight, maskLearningRate, discriminatorLearningRate, MaskGranularity.CHANNELS,
                DEFAULT_MASK_STEP);
    }

    public GalConfig(double lambda, double adversarialWeight, double maskLearningRate, double discriminatorLearningRate,
            MaskGranularity granularity) {
        this(lambda, adversarialWeight, maskLearningRate, discriminatorLearningRate, granularity, DEFAULT_MASK_STEP);
    }

    public GalConfig withGranularity(MaskGranularity newGranularity) {
        return new GalConfig(lambda, adversarialWeight, maskLearningRate, discriminatorLearningRate, newGranularity,
                maskStep);
    }

    public GalConfig withMaskStep(int newMaskStep) {
        return new GalConfig(lambda, adversarialWeight, maskLearningRate, discriminatorLearningRate, granularity,
                newMaskStep);
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

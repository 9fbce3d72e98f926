package io.prunestream.core.train;

import java.util.Locale;

/**
 * A training run stopped because its numbers stopped being numbers. Thrown at the first step whose loss
 * is NaN or infinite, before the optimiser applies that step's gradients: once a NaN reaches the
 * weights every later step is NaN too, and a run that carried on would only fail later, further from
 * the cause (for example when the trained package is loaded and a weight holds NaN).
 *
 * <p>The message is meant for the user as it is: where training stopped, what was seen, and what
 * usually causes it.
 */
public final class TrainingDivergedException extends RuntimeException {
    static final String LIKELY_CAUSES = "Likely causes: a learning rate too high for this model (try a smaller one); "
            + "wrong numerics from the engine (some CPUs compute wrong convolutions for some channel counts: "
            + "the engine self-check logs what it found on this machine); or non-finite values in the input images.";

    private final String training;
    private final int epoch;
    private final int batch;
    private final long step;
    private final double loss;

    /**
     * @param training what was trained, as the message's subject ("fine-tuning", "GAL's student")
     * @param epoch 1-based epoch (a pass over the data) of the step
     * @param batch 1-based batch within the epoch
     * @param batches batches in every epoch, so that the step is {@code (epoch - 1) * batches + batch}
     * @param loss the loss at that step
     * @param symptom what was seen and done, completing "... diverged at step N (...): "
     */
    public TrainingDivergedException(String training, int epoch, int batch, int batches, double loss,
            String symptom) {
        super(String.format(Locale.ROOT, "%s diverged at step %d (epoch %d, batch %d of %d): %s. %s", training,
                step(epoch, batch, batches), epoch, batch, batches, symptom, LIKELY_CAUSES));
        this.training = training;
        this.epoch = epoch;
        this.batch = batch;
        this.step = step(epoch, batch, batches);
        this.loss = loss;
    }

    /**
     * The usual check, made between a step's backward pass and its optimiser update: throws if
     * {@code loss} is NaN or infinite.
     */
    public static void requireFiniteLoss(String training, int epoch, int batch, int batches, double loss) {
        if (!Double.isFinite(loss)) {
            throw new TrainingDivergedException(training, epoch, batch, batches, loss,
                    "the loss is " + loss + ", so training stopped before the optimiser applied this step");
        }
    }

    private static long step(int epoch, int batch, int batches) {
        return (long) (epoch - 1) * batches + batch;
    }

    /** What was trained, as named in the message. */
    public String training() {
        return training;
    }

    public int epoch() {
        return epoch;
    }

    public int batch() {
        return batch;
    }

    /** 1-based step since training began. */
    public long step() {
        return step;
    }

    public double loss() {
        return loss;
    }
}

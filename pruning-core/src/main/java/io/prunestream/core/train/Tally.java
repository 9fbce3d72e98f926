package io.prunestream.core.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

/** Sums loss and correct predictions over batches of different sizes into per-image means. */
final class Tally {
    /** One batch's mean loss and accuracy. */
    record Score(double loss, double accuracy) {}

    private double lossSum;
    private long correct;
    private long samples;

    /**
     * Adds a batch from its logits (B, classes), float labels (B) and mean loss (scalar); reading the
     * scalars back waits for the device, which the per-batch progress needs anyway.
     */
    Score add(NDArray logits, NDArray labels, NDArray meanLoss) {
        long n = labels.getShape().get(0);
        double loss = meanLoss.toType(DataType.FLOAT64, false).getDouble();
        // Counts stay exact in float32 up to 2^24, far beyond any batch.
        long hits = (long) logits.argMax(1).toType(DataType.FLOAT32, false).eq(labels)
                .toType(DataType.FLOAT32, false).sum().getFloat();
        lossSum += loss * n;
        correct += hits;
        samples += n;
        return new Score(loss, (double) hits / n);
    }

    double meanLoss() {
        return lossSum / samples;
    }

    double accuracy() {
        return (double) correct / samples;
    }

    long samples() {
        return samples;
    }
}

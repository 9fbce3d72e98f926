package io.prunestream.core.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;

/** Sums loss and correct predictions over batches of different sizes into per-image means. */
final class Tally {
    /** One batch's mean loss, correct predictions and size. */
    record Score(double loss, long hits, long samples) {
        double accuracy() {
            return (double) hits / samples;
        }
    }

    private double lossSum;
    private long correct;
    private long samples;

    /**
     * Reads a batch's score back from its logits (B, classes), float labels (B) and mean loss (scalar).
     * Both numbers come over in one transfer: reading waits for the device, which the per-batch
     * progress and the trainer's divergence check need anyway, but once is enough.
     */
    static Score read(NDArray logits, NDArray labels, NDArray meanLoss) {
        long n = labels.getShape().get(0);
        // Counts stay exact in float32 up to 2^24, far beyond any batch.
        NDArray hits = logits.argMax(1).toType(DataType.FLOAT32, false).eq(labels)
                .toType(DataType.FLOAT32, false).sum();
        float[] both = NDArrays.concat(new NDList(meanLoss.toType(DataType.FLOAT32, false).reshape(1),
                hits.reshape(1))).toFloatArray();
        return new Score(both[0], (long) both[1], n);
    }

    /** Reads and adds a batch; see {@link #read}. */
    Score add(NDArray logits, NDArray labels, NDArray meanLoss) {
        return add(read(logits, labels, meanLoss));
    }

    Score add(Score score) {
        lossSum += score.loss() * score.samples();
        correct += score.hits();
        samples += score.samples();
        return score;
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

package io.prunestream.core.evaluation;

import ai.djl.ndarray.NDList;
import io.prunestream.core.data.ImageDataset;
import io.prunestream.core.exec.ModelRunner;
import io.prunestream.core.model.ModelPackage;

/**
 * EagleEye's adaptive batch-norm: after pruning, the BN running statistics describe channels that
 * no longer see the inputs they were measured on, so a candidate is judged only after its statistics
 * are recomputed on a few training batches. Weights are not touched: forward passes run in training
 * mode (BN normalises with batch statistics and updates its running averages in place) outside any
 * gradient collector, so no optimiser step happens. This variant is the exponential moving average
 * started from the original statistics (sliced to the kept channels by surgery), with each BN node's
 * own momentum (0.1 in PyTorch's convention by default).
 */
public final class AdaptiveBatchNorm {
    public static final int DEFAULT_BATCHES = 50;
    public static final int DEFAULT_BATCH_SIZE = 64;

    private final int batches;
    private final int batchSize;

    public AdaptiveBatchNorm(int batches, int batchSize) {
        if (batches <= 0 || batchSize <= 0) {
            throw new IllegalArgumentException("adaptive BN needs a positive batch count and batch size, got "
                    + batches + " batches of " + batchSize);
        }
        this.batches = batches;
        this.batchSize = batchSize;
    }

    public AdaptiveBatchNorm() {
        this(DEFAULT_BATCHES, DEFAULT_BATCH_SIZE);
    }

    /** The package with recalibrated BN statistics; every other tensor is byte-identical. */
    public ModelPackage recalibrate(ModelPackage model, ImageDataset calibration, long seed) {
        if (calibration.size() == 0) {
            throw new IllegalArgumentException("adaptive BN needs calibration images, the dataset is empty");
        }
        try (ModelRunner runner = new ModelRunner(model)) {
            int seen = 0;
            // Cycle over the data with a new shuffle per pass when it holds fewer batches than asked.
            for (int pass = 0; seen < batches; pass++) {
                for (ImageDataset.Batch batch : calibration.batches(runner.manager(), batchSize, true, seed + pass)) {
                    try (batch) {
                        if (seen < batches) {
                            runner.block().forward(runner.store(), new NDList(batch.images()), true);
                            seen++;
                        }
                    }
                }
            }
            return runner.block().toPackage();
        }
    }

    public int batches() {
        return batches;
    }
}

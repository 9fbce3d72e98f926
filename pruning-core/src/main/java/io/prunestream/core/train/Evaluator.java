package io.prunestream.core.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.loss.Loss;
import io.prunestream.core.data.ImageDataset;
import io.prunestream.core.exec.BatchNormFolding;
import io.prunestream.core.exec.ModelRunner;
import io.prunestream.core.model.ModelPackage;

/**
 * Accuracy and mean cross-entropy of a model on a dataset, in inference mode: BN uses its running
 * statistics and nothing in the model changes.
 */
public final class Evaluator {
    public static final int DEFAULT_BATCH_SIZE = 256;

    private final int batchSize;
    private final Loss crossEntropy = Loss.softmaxCrossEntropyLoss();

    public Evaluator() {
        this(DEFAULT_BATCH_SIZE);
    }

    public Evaluator(int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be at least 1, got " + batchSize);
        }
        this.batchSize = batchSize;
    }

    /**
     * Evaluates on the engine's default device, in the model's inference form: BN folded into the
     * convolutions computes the same logits with one op less per conv.
     */
    public EvalResult evaluate(ModelPackage model, ImageDataset data) {
        DatasetFit.require(model.spec(), data);
        try (ModelRunner runner = new ModelRunner(BatchNormFolding.fold(model))) {
            return evaluate(runner, data);
        }
    }

    /** Evaluates a model already on a device, without copying it again. */
    public EvalResult evaluate(ModelRunner runner, ImageDataset data) {
        DatasetFit.require(runner.block().graph().spec(), data);
        Tally tally = new Tally();
        for (ImageDataset.Batch batch : data.batches(runner.manager(), batchSize, false, 0)) {
            try (batch) {
                NDArray logits = runner.block().forward(runner.store(), new NDList(batch.images()), false)
                        .singletonOrThrow();
                NDArray loss = crossEntropy.evaluate(new NDList(batch.labels()), new NDList(logits));
                tally.add(logits, batch.labels(), loss);
            }
        }
        return new EvalResult(tally.accuracy(), tally.meanLoss(), Math.toIntExact(tally.samples()));
    }
}

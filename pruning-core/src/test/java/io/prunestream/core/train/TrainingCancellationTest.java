package io.prunestream.core.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.prunestream.core.cancel.CancellationToken;
import io.prunestream.core.cancel.OperationCancelledException;
import io.prunestream.core.data.ImageDataset;
import io.prunestream.core.evaluation.AdaptiveBatchNorm;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Long loops stop at the next batch once their thread's token is cancelled, whoever cancels it. */
class TrainingCancellationTest {
    private static final ImageDataset DATA = TinyModels.learnable(96, 1);

    @Test
    void trainingStopsBeforeTheBatchAfterTheCancel() {
        CancellationToken token = new CancellationToken();
        OperationCancelledException why = new OperationCancelledException("cancelled by the user");
        AtomicInteger batches = new AtomicInteger();
        ProgressListener cancelAtThird = new ProgressListener() {
            @Override
            public void onBatch(int epoch, int batch, int total, double loss, double accuracy) {
                if (batches.incrementAndGet() == 3) {
                    token.cancel(why);
                }
            }
        };
        ModelTrainer trainer = new ModelTrainer(TrainingConfig.builder().epochs(50).batchSize(16).learningRate(0.05)
                .seed(7).build(), cancelAtThird);
        OperationCancelledException thrown = assertThrows(OperationCancelledException.class,
                () -> CancellationToken.callWith(token, () -> trainer.train(TinyModels.convBn(3), DATA)));
        assertSame(why, thrown);
        assertEquals(3, batches.get(), "no batch may be trained after the cancel");
    }

    @Test
    void adaptiveBatchNormStopsAtItsNextBatch() {
        CancellationToken token = new CancellationToken();
        token.cancel(new OperationCancelledException("shutting down"));
        assertThrows(OperationCancelledException.class, () -> CancellationToken.callWith(token,
                () -> new AdaptiveBatchNorm(1000, 8).recalibrate(TinyModels.convBn(3), DATA, 1)));
    }
}

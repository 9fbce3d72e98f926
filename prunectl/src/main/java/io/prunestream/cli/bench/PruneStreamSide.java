package io.prunestream.cli.bench;

import ai.djl.Device;
import io.prunestream.core.cost.LatencyMeter;
import io.prunestream.core.cost.PackageForward;
import io.prunestream.core.data.ImageDataset;
import io.prunestream.core.exec.ModelRunner;
import io.prunestream.core.model.InputSpec;
import io.prunestream.core.model.ModelPackage;
import io.prunestream.core.train.LearningRateSchedule;
import io.prunestream.core.train.ModelTrainer;
import io.prunestream.core.train.ProgressListener;
import io.prunestream.core.train.TrainingConfig;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * PruneStream's side of the peer benchmark, on the CPU (the peer is CPU PyTorch): the paths a user's
 * job takes, {@link LatencyMeter} for inference and {@link ModelTrainer} for training, not a loop
 * written for the occasion.
 */
final class PruneStreamSide implements AutoCloseable {
    private final ModelPackage model;
    private final PeerBudget budget;
    private final ImageDataset randomImages;
    private final TrainingConfig training;
    private final PackageForward forward;
    private final LatencyMeter meter;

    PruneStreamSide(ModelPackage model, PeerBudget budget) {
        this.model = model;
        this.budget = budget;
        this.randomImages = randomImages(model, budget.trainBatches() * PeerBudget.TRAIN_BATCH_SIZE);
        // Two epochs of trainBatches each, the second timed: the first absorbs kernel selection and
        // allocator growth, as the peer's untimed pass does.
        this.training = TrainingConfig.builder().epochs(2).batchSize(PeerBudget.TRAIN_BATCH_SIZE)
                .maxBatchesPerEpoch(budget.trainBatches()).learningRate(PeerBudget.LEARNING_RATE)
                .momentum(PeerBudget.MOMENTUM).weightDecay(PeerBudget.WEIGHT_DECAY)
                .schedule(LearningRateSchedule.CONSTANT).seed(1).build();
        this.forward = PackageForward.open(model, Device.cpu());
        this.meter = new LatencyMeter(PeerBudget.WARMUP_RUNS, budget.latencyRuns(), Device.cpu());
    }

    PeerRound measureRound() {
        Map<Integer, Double> latency = new TreeMap<>();
        for (LatencyMeter.Latency l : meter.measureOpened(Map.of("model", forward), PeerBudget.BATCH_SIZES).get("model")) {
            latency.put(l.batchSize(), l.medianMs());
        }
        double imagesPerSecond = new ModelTrainer(training, ProgressListener.NONE, Device.cpu())
                .train(model, randomImages).lastEpoch().imagesPerSecond();
        return new PeerRound(imagesPerSecond, latency);
    }

    /** Logits of {@link #checkInput}, for comparing with what the peer computes from the same package. */
    float[] checkLogits() {
        try (ModelRunner runner = new ModelRunner(model, Device.cpu())) {
            return runner.logits(checkInput(model.spec().input()), 1)[0];
        }
    }

    /** One image, {@code sin(0.37 i)} in NCHW order: fixed, and varied enough to reach every weight. */
    static float[] checkInput(InputSpec in) {
        float[] x = new float[in.channels() * in.height() * in.width()];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) Math.sin(i * 0.37);
        }
        return x;
    }

    private static ImageDataset randomImages(ModelPackage model, int count) {
        InputSpec in = model.spec().input();
        SplittableRandom random = new SplittableRandom(7);
        float[] pixels = new float[count * in.channels() * in.height() * in.width()];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (float) random.nextGaussian();
        }
        int[] labels = random.ints(count, 0, model.spec().classes()).toArray();
        return new ImageDataset(pixels, labels, in.channels(), in.height(), in.width(), model.spec().classes());
    }

    @Override
    public void close() {
        forward.close();
    }
}

package io.prunestream.cli.bench;

import ai.djl.Device;
import io.prunestream.core.cost.LatencyMeter;
import io.prunestream.core.cost.PackageForward;
import io.prunestream.core.exec.ModelRunner;
import io.prunestream.core.model.InputSpec;
import io.prunestream.core.model.ModelPackage;
import io.prunestream.core.train.ModelTrainer;
import java.util.Map;
import java.util.TreeMap;

/**
 * PruneStream's side of the peer benchmark, on the CPU (the peer is CPU PyTorch): the paths a user's
 * job takes, {@link LatencyMeter} for inference and {@link ModelTrainer} for training, not a loop
 * written for the occasion.
 */
final class PruneStreamSide implements AutoCloseable {
    private final ModelPackage model;
    private final PeerBudget budget;
    private final TrainingThroughput training;
    private final PackageForward forward;
    private final LatencyMeter meter;

    PruneStreamSide(ModelPackage model, PeerBudget budget) {
        this.model = model;
        this.budget = budget;
        // Its untimed first epoch matches the peer's untimed pass.
        this.training = new TrainingThroughput(model, budget.trainBatches());
        this.forward = PackageForward.open(model, Device.cpu());
        this.meter = new LatencyMeter(PeerBudget.WARMUP_RUNS, budget.latencyRuns(), Device.cpu());
    }

    PeerRound measureRound() {
        Map<Integer, Double> latency = new TreeMap<>();
        for (LatencyMeter.Latency l : meter.measureOpened(Map.of("model", forward), PeerBudget.BATCH_SIZES).get("model")) {
            latency.put(l.batchSize(), l.medianMs());
        }
        return new PeerRound(training.imagesPerSecond(), latency);
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

    @Override
    public void close() {
        forward.close();
    }
}

package io.prunestream.cli.bench;

import io.prunestream.core.cost.LatencyMeter;
import io.prunestream.core.train.TrainingConfig;
import java.util.List;

/**
 * How much each side of the peer benchmark measures, the same for both: rounds, and per round the
 * timed training batches and inference runs.
 *
 * @param rounds rounds of each side, alternating
 * @param trainBatches timed SGD steps per round (after as many untimed ones)
 * @param latencyRuns timed forward passes per batch size per round (after {@link #WARMUP_RUNS} untimed)
 */
public record PeerBudget(int rounds, int trainBatches, int latencyRuns) {
    public static final int TRAIN_BATCH_SIZE = 128;
    public static final List<Integer> BATCH_SIZES = LatencyMeter.DEFAULT_BATCH_SIZES;
    public static final int WARMUP_RUNS = LatencyMeter.DEFAULT_WARMUP_RUNS;
    /**
     * A small constant rate rather than the trainer's 0.1 with cosine decay: the labels are random, and
     * a step that diverged would end the run instead of timing it. The rate does not change the work.
     */
    public static final double LEARNING_RATE = 0.01;
    public static final double MOMENTUM = TrainingConfig.DEFAULT_MOMENTUM;
    public static final double WEIGHT_DECAY = TrainingConfig.DEFAULT_WEIGHT_DECAY;

    public PeerBudget {
        if (rounds < 1 || trainBatches < 1 || latencyRuns < 1) {
            throw new IllegalArgumentException("--rounds, --train-batches and --latency-runs must be at least 1, got "
                    + rounds + ", " + trainBatches + " and " + latencyRuns);
        }
    }
}

package io.prunestream.cli.bench;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * One side's figures from one round of the peer benchmark.
 *
 * @param trainImagesPerSecond SGD steps at batch {@link PeerBudget#TRAIN_BATCH_SIZE}: images over the wall
 *     time of the timed pass
 * @param latencyMs median inference latency over the round's runs, by batch size
 */
public record PeerRound(double trainImagesPerSecond, Map<Integer, Double> latencyMs) {
    public PeerRound {
        latencyMs = Collections.unmodifiableMap(new TreeMap<>(latencyMs));
    }

    public double latencyMs(int batchSize) {
        Double ms = latencyMs.get(batchSize);
        if (ms == null) {
            throw new IllegalArgumentException("no latency at batch " + batchSize + " in this round; measured: "
                    + latencyMs.keySet());
        }
        return ms;
    }
}

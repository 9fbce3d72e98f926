package io.prunestream.core.cost;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.prunestream.core.exec.ModelRunner;
import io.prunestream.core.model.InputSpec;
import io.prunestream.core.model.ModelPackage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Measured, rather than counted, cost: the wall time of an inference forward pass on the current
 * engine and device. {@link CostModel}'s MACs predict latency poorly for depthwise and small layers,
 * so pruning reports show both. Each figure is the median of several timed runs after a few
 * untimed warm-up runs (which absorb allocator growth and kernel selection); the median ignores the
 * odd run slowed by another process.
 */
public final class LatencyMeter {
    /** Batch 1 is the interactive case, 256 the throughput case. */
    public static final List<Integer> DEFAULT_BATCH_SIZES = List.of(1, 256);
    public static final int DEFAULT_WARMUP_RUNS = 3;
    public static final int DEFAULT_TIMED_RUNS = 10;

    /**
     * One measurement.
     *
     * @param batchSize images per forward pass
     * @param medianMs median wall time of one forward pass, milliseconds
     * @param perImageMs {@code medianMs / batchSize}
     * @param device the device it ran on, as DJL names it (for example {@code cpu()} or {@code gpu(0)})
     */
    public record Latency(int batchSize, double medianMs, double perImageMs, String device) {}

    private final int warmupRuns;
    private final int timedRuns;
    private final Device device;

    public LatencyMeter() {
        this(DEFAULT_WARMUP_RUNS, DEFAULT_TIMED_RUNS, Engine.getInstance().defaultDevice());
    }

    public LatencyMeter(int warmupRuns, int timedRuns, Device device) {
        if (warmupRuns < 0) {
            throw new IllegalArgumentException("warmupRuns must not be negative, got " + warmupRuns);
        }
        if (timedRuns < 1) {
            throw new IllegalArgumentException("timedRuns must be at least 1, got " + timedRuns);
        }
        this.warmupRuns = warmupRuns;
        this.timedRuns = timedRuns;
        this.device = Objects.requireNonNull(device, "device");
    }

    /** Latency at {@link #DEFAULT_BATCH_SIZES}. */
    public List<Latency> measureDefaults(ModelPackage model) {
        return measure(model, DEFAULT_BATCH_SIZES);
    }

    public Latency measure(ModelPackage model, int batchSize) {
        return measure(model, List.of(batchSize)).get(0);
    }

    /** One latency per batch size, in the given order; the model is copied to the device once. */
    public List<Latency> measure(ModelPackage model, List<Integer> batchSizes) {
        for (int b : batchSizes) {
            if (b < 1) {
                throw new IllegalArgumentException("batch size must be at least 1, got " + b);
            }
        }
        List<Latency> out = new ArrayList<>();
        try (ModelRunner runner = new ModelRunner(model, device)) {
            for (int b : batchSizes) {
                out.add(measure(runner, b));
            }
        }
        return out;
    }

    private Latency measure(ModelRunner runner, int batchSize) {
        InputSpec in = runner.block().graph().spec().input();
        Shape shape = new Shape(batchSize, in.channels(), in.height(), in.width());
        for (int i = 0; i < warmupRuns; i++) {
            timeOnce(runner, shape);
        }
        double[] ms = new double[timedRuns];
        for (int i = 0; i < timedRuns; i++) {
            ms[i] = timeOnce(runner, shape);
        }
        double median = median(ms);
        return new Latency(batchSize, median, median / batchSize, device.toString());
    }

    /** Milliseconds of one forward pass; the input is made before the clock starts. */
    private static double timeOnce(ModelRunner runner, Shape shape) {
        try (NDManager run = runner.manager().newSubManager()) {
            NDArray x = run.randomNormal(shape);
            long start = System.nanoTime();
            NDArray y = runner.block().forward(runner.store(), new NDList(x), false).singletonOrThrow();
            // Reading one scalar waits for an asynchronous device without copying the logits back.
            y.sum().getFloat();
            return (System.nanoTime() - start) / 1e6;
        }
    }

    static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }
}

package io.prunestream.core.cost;

import ai.djl.Device;
import ai.djl.engine.Engine;
import io.prunestream.core.exec.EngineThreads;
import io.prunestream.core.model.ModelPackage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.stream.Collectors;

/**
 * Measured, rather than counted, cost: the wall time of an inference forward pass on the current
 * engine and device. {@link CostModel}'s MACs predict latency poorly for depthwise and small layers,
 * so pruning reports show both.
 *
 * <p>Models that are compared are measured together: every model is opened and warmed up first
 * (which absorbs allocator growth and kernel selection), then each round times every model once
 * per batch size, in an order shuffled anew each round. Timed one after the other, two models see
 * different moments of a shared machine (another process, a frequency change) and the same
 * network has read 4.6 ms in one benchmark section and 14.7 ms in another; interleaved, such
 * disturbances land on all of them alike. Each figure is the median over the rounds, which ignores
 * the odd slowed run, with the 10th and 90th percentiles as its spread. One model alone is the same
 * measurement with a single entry.
 */
public final class LatencyMeter {
    /** Batch 1 is the interactive case, 256 the throughput case. */
    public static final List<Integer> DEFAULT_BATCH_SIZES = List.of(1, 256);
    public static final int DEFAULT_WARMUP_RUNS = 3;
    public static final int DEFAULT_ROUNDS = 10;
    /** Fixed, so that a rerun times the models in the same orders. */
    static final long ORDER_SEED = 42;

    /**
     * One model's latency at one batch size.
     *
     * @param batchSize images per forward pass
     * @param medianMs median wall time of one forward pass over the rounds, milliseconds
     * @param perImageMs {@code medianMs / batchSize}
     * @param device the device it ran on, as DJL names it (for example {@code cpu()} or {@code gpu(0)})
     * @param minMs fastest round
     * @param p10Ms 10th percentile of the rounds (interpolated between the nearest ranks)
     * @param p90Ms 90th percentile of the rounds
     * @param maxMs slowest round
     * @param rounds timed runs the figures summarise
     */
    public record Latency(int batchSize, double medianMs, double perImageMs, String device, double minMs, double p10Ms,
            double p90Ms, double maxMs, int rounds) {
        /**
         * Half the p10–p90 range as a share of the median: the "±" printed beside it. Zero for a
         * single round, which shows no spread rather than none measured.
         */
        public double spread() {
            return (p90Ms - p10Ms) / 2 / medianMs;
        }

        /** The median with its spread, for tables: {@code "4.60 ms ±3%"}. */
        public String display() {
            return String.format(Locale.ROOT, "%s ms ±%.0f%%", milliseconds(medianMs), 100 * spread());
        }

        /** Three significant figures from 1 ms up, so 0.85, 4.60 and 147 all read alike. */
        public static String milliseconds(double ms) {
            return String.format(Locale.ROOT, ms >= 100 ? "%.0f" : ms >= 10 ? "%.1f" : "%.2f", ms);
        }
    }

    private final int warmupRuns;
    private final int rounds;
    private final Device device;

    public LatencyMeter() {
        this(DEFAULT_WARMUP_RUNS, DEFAULT_ROUNDS, Engine.getInstance().defaultDevice());
    }

    /**
     * @param warmupRuns untimed runs per model and batch size before the first round
     * @param rounds timed rounds; each times every model once per batch size
     * @param device where packages are copied to and run
     */
    public LatencyMeter(int warmupRuns, int rounds, Device device) {
        if (warmupRuns < 0) {
            throw new IllegalArgumentException("warmupRuns must not be negative, got " + warmupRuns);
        }
        if (rounds < 1) {
            throw new IllegalArgumentException("rounds must be at least 1, got " + rounds);
        }
        this.warmupRuns = warmupRuns;
        this.rounds = rounds;
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
        return measureTogether(Map.of("model", model), batchSizes).get("model");
    }

    /** {@link #measureTogether(Map, List)} at {@link #DEFAULT_BATCH_SIZES}. */
    public Map<String, List<Latency>> measureTogether(Map<String, ModelPackage> models) {
        return measureTogether(models, DEFAULT_BATCH_SIZES);
    }

    /**
     * Several packages measured in interleaved rounds (see the class comment). Every package is copied
     * to the device before any timing and freed afterwards.
     *
     * @param models by the name results are reported under
     * @return for each name, in the map's iteration order, one latency per batch size in the given order
     */
    public Map<String, List<Latency>> measureTogether(Map<String, ModelPackage> models, List<Integer> batchSizes) {
        checkArguments(models, batchSizes);
        Map<String, TimedForward> opened = new LinkedHashMap<>();
        try {
            models.forEach((name, model) -> opened.put(name, PackageForward.open(model, device)));
            return measureOpened(opened, batchSizes);
        } finally {
            opened.values().forEach(TimedForward::close);
        }
    }

    /**
     * Models the caller has opened (and closes), measured in interleaved rounds: the way to time
     * packages beside another engine's models.
     *
     * @return for each name, in the map's iteration order, one latency per batch size in the given order
     */
    public Map<String, List<Latency>> measureOpened(Map<String, ? extends TimedForward> forwards,
            List<Integer> batchSizes) {
        checkArguments(forwards, batchSizes);
        List<TimedForward> subjects = List.copyOf(forwards.values());
        for (TimedForward subject : subjects) {
            for (int b : batchSizes) {
                for (int i = 0; i < warmupRuns; i++) {
                    subject.forwardMs(b);
                }
            }
        }
        double[][][] ms = new double[subjects.size()][batchSizes.size()][rounds];
        List<List<Slot>> schedule = schedule(subjects.size(), batchSizes.size(), rounds, ORDER_SEED);
        for (int round = 0; round < rounds; round++) {
            for (Slot s : schedule.get(round)) {
                ms[s.model()][s.batch()][round] = subjects.get(s.model()).forwardMs(batchSizes.get(s.batch()));
            }
        }
        Map<String, List<Latency>> out = new LinkedHashMap<>();
        int m = 0;
        for (Map.Entry<String, ? extends TimedForward> e : forwards.entrySet()) {
            List<Latency> perBatch = new ArrayList<>();
            for (int b = 0; b < batchSizes.size(); b++) {
                perBatch.add(summarise(batchSizes.get(b), ms[m][b], e.getValue().device()));
            }
            out.put(e.getKey(), List.copyOf(perBatch));
            m++;
        }
        return out;
    }

    /**
     * How the figures were taken, for the line above a latency table: batch sizes, rounds, warm-up and
     * the engine threads in force.
     */
    public String describe(List<Integer> batchSizes) {
        String batches = batchSizes.stream().map(String::valueOf).collect(Collectors.joining(", "));
        return String.format(Locale.ROOT, "median of %d interleaved rounds (every model once per batch size per "
                + "round, shuffled order) after %d warm-up run(s) each, packages with BN folded into their convs; batch "
                + "sizes %s; %s, %s; ± is half the p10–p90 "
                + "range as a share of the median", rounds, warmupRuns, batches, device,
                EngineThreads.inForce().describe());
    }

    public int rounds() {
        return rounds;
    }

    public int warmupRuns() {
        return warmupRuns;
    }

    /** One timed forward pass: model {@code model} at the {@code batch}-th batch size. */
    record Slot(int model, int batch) {}

    /**
     * Every round holds every (model, batch size) slot once, shuffled by a random source seeded once
     * for the whole schedule: no model is always first or always follows the same one.
     */
    static List<List<Slot>> schedule(int models, int batchSizes, int rounds, long seed) {
        List<Slot> slots = new ArrayList<>();
        for (int m = 0; m < models; m++) {
            for (int b = 0; b < batchSizes; b++) {
                slots.add(new Slot(m, b));
            }
        }
        Random random = new Random(seed);
        List<List<Slot>> out = new ArrayList<>();
        for (int r = 0; r < rounds; r++) {
            Collections.shuffle(slots, random);
            out.add(List.copyOf(slots));
        }
        return out;
    }

    private static void checkArguments(Map<String, ?> models, List<Integer> batchSizes) {
        if (models.isEmpty()) {
            throw new IllegalArgumentException("no model to measure");
        }
        if (batchSizes.isEmpty()) {
            throw new IllegalArgumentException("no batch size to measure at");
        }
        for (int b : batchSizes) {
            if (b < 1) {
                throw new IllegalArgumentException("batch size must be at least 1, got " + b);
            }
        }
    }

    private static Latency summarise(int batchSize, double[] ms, String device) {
        double[] sorted = ms.clone();
        Arrays.sort(sorted);
        double median = percentile(sorted, 0.5);
        return new Latency(batchSize, median, median / batchSize, device, sorted[0], percentile(sorted, 0.1),
                percentile(sorted, 0.9), sorted[sorted.length - 1], sorted.length);
    }

    static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return percentile(sorted, 0.5);
    }

    /** Linear interpolation between the nearest ranks of sorted values (NumPy's default). */
    public static double percentile(double[] sorted, double p) {
        double position = p * (sorted.length - 1);
        int below = (int) Math.floor(position);
        int above = (int) Math.ceil(position);
        return sorted[below] + (position - below) * (sorted[above] - sorted[below]);
    }
}

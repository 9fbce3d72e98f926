package io.prunestream.cli.bench;

import io.prunestream.core.cost.LatencyMeter;
import io.prunestream.core.cost.LatencyMeter.Latency;
import io.prunestream.core.model.ModelPackage;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The latencies of a benchmark section's final models, measured together once (after every model
 * exists, so none is timed at a quieter or busier moment than the others), with what the tables
 * need: cells showing median and spread, ratios to a reference, and the sentence saying how they
 * were taken.
 */
final class SectionLatencies {
    static final List<Integer> BATCH_SIZES = LatencyMeter.DEFAULT_BATCH_SIZES;

    private final LatencyMeter meter;
    private final Map<String, List<Latency>> measured;

    private SectionLatencies(LatencyMeter meter, Map<String, List<Latency>> measured) {
        this.meter = meter;
        this.measured = measured;
    }

    /** @param models by the name the section's rows use */
    static SectionLatencies measure(Map<String, ModelPackage> models) {
        LatencyMeter meter = new LatencyMeter();
        return new SectionLatencies(meter, meter.measureTogether(models, BATCH_SIZES));
    }

    /** How the figures were taken, as a sentence to put above the table. */
    String describe() {
        return "Latency: " + meter.describe(BATCH_SIZES) + ".";
    }

    Latency of(String model, int batchSize) {
        List<Latency> perBatch = measured.get(model);
        if (perBatch == null) {
            throw new IllegalArgumentException("no latency measured for '" + model + "'; measured: " + measured.keySet());
        }
        return perBatch.stream().filter(l -> l.batchSize() == batchSize).findFirst().orElseThrow(() ->
                new IllegalArgumentException("no latency measured at batch " + batchSize + "; batches: " + BATCH_SIZES));
    }

    /** {@code "4.60 ms ±3%"}. */
    String cell(String model, int batchSize) {
        return of(model, batchSize).display();
    }

    /** Median over the reference's median, both from the same rounds. */
    double ratio(String model, String reference, int batchSize) {
        return of(model, batchSize).medianMs() / of(reference, batchSize).medianMs();
    }

    /** {@code "2.80 ms ±4% (0.61×)"}: the cell with its ratio to the reference. */
    String cellWithRatio(String model, String reference, int batchSize) {
        return String.format(Locale.ROOT, "%s (%.2f×)", cell(model, batchSize), ratio(model, reference, batchSize));
    }
}

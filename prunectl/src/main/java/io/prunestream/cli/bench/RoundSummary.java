package io.prunestream.cli.bench;

import io.prunestream.core.cost.LatencyMeter;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * One figure over the rounds of a benchmark: its median, and its spread as the rest of
 * docs/BENCHMARKS.md gives it (half the p10–p90 range as a share of the median), with the extremes.
 */
record RoundSummary(double median, double p10, double p90, double min, double max, int rounds) {
    static <T> RoundSummary over(List<T> rounds, ToDoubleFunction<T> figure) {
        if (rounds.isEmpty()) {
            throw new IllegalArgumentException("no round to summarise");
        }
        double[] sorted = rounds.stream().mapToDouble(figure).sorted().toArray();
        return new RoundSummary(LatencyMeter.percentile(sorted, 0.5), LatencyMeter.percentile(sorted, 0.1),
                LatencyMeter.percentile(sorted, 0.9), sorted[0], sorted[sorted.length - 1], sorted.length);
    }

    /** Half the p10–p90 range over the median; zero for a single round. */
    double spread() {
        return (p90 - p10) / 2 / median;
    }
}

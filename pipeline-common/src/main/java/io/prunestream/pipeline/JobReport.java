package io.prunestream.pipeline;

import io.prunestream.core.allocation.TargetKind;

import java.util.Map;

/**
 * What a finished job achieved, as shown to the user and written by {@code prunectl report}.
 *
 * @param baselineAccuracy test accuracy of the submitted model, in [0, 1]
 * @param finalAccuracy test accuracy of the delivered model, in [0, 1]
 * @param latencyBefore {@code null} when not measured
 * @param targetFraction the share of {@code targetKind} the job was asked to keep
 * @param achievedFraction the share actually kept: after / before for {@code targetKind}
 * @param rounds prune/evaluate rounds used
 * @param stageDurationsMs wall time per stage, in slip order
 * @param criterionGrades when the job asked for grading: each criterion's Spearman rank correlation with
 *     the oracle over all channels of the submitted model (absent where a criterion cannot score it)
 */
public record JobReport(
        double baselineAccuracy,
        double finalAccuracy,
        long flopsBefore,
        long flopsAfter,
        long paramsBefore,
        long paramsAfter,
        Latency latencyBefore,
        Latency latencyAfter,
        TargetKind targetKind,
        double targetFraction,
        double achievedFraction,
        int rounds,
        int candidatesEvaluated,
        Map<String, Long> stageDurationsMs,
        Map<String, Double> criterionGrades) {

    public JobReport {
        stageDurationsMs = Copies.map(stageDurationsMs, "stageDurationsMs");
        criterionGrades = Copies.map(criterionGrades, "criterionGrades");
    }

    /** Milliseconds per forward pass at the two batch sizes the report compares. */
    public record Latency(double batch1Ms, double batch256Ms) {}
}

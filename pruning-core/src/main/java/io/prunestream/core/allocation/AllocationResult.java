package io.prunestream.core.allocation;

import io.prunestream.core.dependency.PruningPlan;
import java.util.Locale;

/**
 * An allocator's plan and what it costs. Costs are counted on the pruned spec; fractions are pruned
 * over original. {@code targetMet} is false when the plan exceeds the target, which happens only when
 * the floor of channels per group makes the target unreachable or a fixed ratio was asked for.
 */
public record AllocationResult(
        String allocator,
        PruningPlan plan,
        TargetKind targetKind,
        double targetFraction,
        long originalMacs,
        long prunedMacs,
        long originalParams,
        long prunedParams,
        boolean targetMet) {

    public double achievedFlopsFraction() {
        return fraction(prunedMacs, originalMacs);
    }

    public double achievedParamsFraction() {
        return fraction(prunedParams, originalParams);
    }

    /** The achieved fraction of the target's kind. */
    public double achievedFraction() {
        return achieved(targetKind);
    }

    private double achieved(TargetKind kind) {
        return kind == TargetKind.FLOPS ? achievedFlopsFraction() : achievedParamsFraction();
    }

    private static double fraction(long pruned, long original) {
        return original == 0 ? 1.0 : (double) pruned / original;
    }

    /** E.g. "target FLOPs 50.0%, achieved 49.6% (params 51.2%)". */
    public String summary() {
        TargetKind other = targetKind.other();
        return String.format(Locale.ROOT, "target %s %.1f%%, achieved %.1f%% (%s %.1f%%)%s", targetKind.label(),
                100 * targetFraction, 100 * achievedFraction(), other.label(), 100 * achieved(other),
                targetMet ? "" : ", target not met");
    }
}

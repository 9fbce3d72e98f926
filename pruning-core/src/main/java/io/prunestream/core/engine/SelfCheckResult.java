package io.prunestream.core.engine;

import java.util.List;
import java.util.Locale;

/**
 * What {@link EngineSelfCheck} found for one kernel: every comparison it made, and whether all of
 * them agreed with the Java reference.
 *
 * @param kernel the kernel checked, as it names itself
 * @param comparisons one line per compared tensor
 * @param millis how long the check took
 */
public record SelfCheckResult(String kernel, List<Comparison> comparisons, long millis) {
    /**
     * One tensor compared with the reference.
     *
     * @param what the case and the tensor, e.g. {@code "conv 20->24 k3 s1 g1: grad input"}
     * @param maxError largest absolute difference (NaN when the engine produced a NaN or infinity)
     * @param tolerance what the difference was allowed to be
     */
    public record Comparison(String what, double maxError, double tolerance) {
        public boolean agrees() {
            return maxError <= tolerance; // false for NaN
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%s: max error %.3g (tolerance %.1g)", what, maxError, tolerance);
        }
    }

    public SelfCheckResult {
        comparisons = List.copyOf(comparisons);
    }

    public boolean passed() {
        return !comparisons.isEmpty() && comparisons.stream().allMatch(Comparison::agrees);
    }

    public List<Comparison> disagreements() {
        return comparisons.stream().filter(c -> !c.agrees()).toList();
    }

    /** The comparison with the largest error relative to its tolerance (NaN first). */
    public Comparison worst() {
        Comparison worst = null;
        double worstRatio = -1;
        for (Comparison c : comparisons) {
            double ratio = Double.isFinite(c.maxError()) ? c.maxError() / c.tolerance() : Double.POSITIVE_INFINITY;
            if (worst == null || ratio > worstRatio) {
                worst = c;
                worstRatio = ratio;
            }
        }
        return worst;
    }

    /** One line: the verdict, the count and the worst comparison. */
    public String summary() {
        List<Comparison> bad = disagreements();
        if (bad.isEmpty()) {
            return String.format(Locale.ROOT, "%s agrees with the Java reference on %d tensors (%s; %d ms)", kernel,
                    comparisons.size(), worst(), millis);
        }
        return String.format(Locale.ROOT, "%s is WRONG on %d of %d tensors, worst %s", kernel, bad.size(),
                comparisons.size(), worst());
    }
}

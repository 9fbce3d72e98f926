package io.prunestream.pipeline;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Objects;

/**
 * How the evaluator decides on candidates.
 *
 * @param rule {@code best-of-n}: keep the most accurate of the candidates; {@code tolerance}: accept a
 *     candidate only if it loses at most {@code maxAccuracyDrop}, otherwise loop back (bounded by
 *     {@link JobSpec#maxRounds()})
 * @param maxAccuracyDrop in percentage points of accuracy (2.0 = from 91.0% to 89.0%); used by
 *     {@code tolerance}
 */
public record AcceptanceRule(Rule rule, double maxAccuracyDrop) {
    public static final double DEFAULT_MAX_ACCURACY_DROP = 2.0;

    public AcceptanceRule {
        Objects.requireNonNull(rule, "acceptance rule");
    }

    public enum Rule {
        @JsonProperty("best-of-n")
        BEST_OF_N,
        @JsonProperty("tolerance")
        TOLERANCE
    }

    /** Lets a submission name just the rule and get the default drop. */
    @JsonCreator
    static AcceptanceRule fromJson(@JsonProperty("rule") Rule rule, @JsonProperty("maxAccuracyDrop") Double maxAccuracyDrop) {
        return new AcceptanceRule(rule == null ? Rule.BEST_OF_N : rule,
                maxAccuracyDrop == null ? DEFAULT_MAX_ACCURACY_DROP : maxAccuracyDrop);
    }

    public static AcceptanceRule bestOfN() {
        return new AcceptanceRule(Rule.BEST_OF_N, DEFAULT_MAX_ACCURACY_DROP);
    }

    public static AcceptanceRule tolerance(double maxAccuracyDrop) {
        return new AcceptanceRule(Rule.TOLERANCE, maxAccuracyDrop);
    }
}

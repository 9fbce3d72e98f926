package io.prunestream.core.importance;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The importance criteria by name, as the CLI and job configurations refer to them. Weight criteria
 * first, then NISP (weights only as well), then those that need a data sample
 * ({@link ImportanceCriterion#needsData()}), ending with the oracle they are graded against.
 */
public final class Criteria {
    private static final Map<String, Supplier<ImportanceCriterion>> KNOWN = new LinkedHashMap<>();

    static {
        KNOWN.put(L1Criterion.NAME, L1Criterion::new);
        KNOWN.put(L2Criterion.NAME, L2Criterion::new);
        KNOWN.put(FpgmCriterion.NAME, FpgmCriterion::new);
        KNOWN.put(BnScaleCriterion.NAME, BnScaleCriterion::new);
        KNOWN.put(RandomCriterion.NAME, RandomCriterion::new);
        KNOWN.put(NispCriterion.NAME, NispCriterion::new);
        KNOWN.put(ApozCriterion.NAME, ApozCriterion::new);
        KNOWN.put(MeanActivationCriterion.NAME, MeanActivationCriterion::new);
        KNOWN.put(EntropyCriterion.NAME, EntropyCriterion::new);
        KNOWN.put(TaylorCriterion.NAME, TaylorCriterion::new);
        KNOWN.put(TaylorWeightCriterion.NAME, TaylorWeightCriterion::new);
        KNOWN.put(OracleCriterion.NAME, OracleCriterion::new);
    }

    private Criteria() {}

    /** The criterion called {@code name} (case-insensitive). */
    public static ImportanceCriterion byName(String name) {
        Supplier<ImportanceCriterion> c = name == null ? null : KNOWN.get(name.trim().toLowerCase(Locale.ROOT));
        if (c == null) {
            throw new IllegalArgumentException("unknown importance criterion '" + name + "' (known: "
                    + String.join(", ", names()) + ")");
        }
        return c.get();
    }

    public static List<String> names() {
        return List.copyOf(KNOWN.keySet());
    }
}

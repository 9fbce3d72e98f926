package io.prunestream.pipeline.stage;

import io.prunestream.core.importance.Criteria;
import io.prunestream.pipeline.JobSpec;
import io.prunestream.pipeline.RoutingSlip;
import io.prunestream.pipeline.Stage;
import io.prunestream.pipeline.StageKind;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The variant names each kind of stage runs, and which one a slip's stage means. The sets are the
 * ones the stages dispatch on, so intake, which checks every slip against them, accepts exactly what
 * the stages can run: an unknown name stops at intake, a known one cannot fail later for its name.
 */
public final class StageVariants {
    /** The prune variant that cuts what GAL's masks zeroed: a slip stage, never a job's allocation. */
    public static final String GAL_MASK_CUT = MaskPruning.VARIANT;

    private StageVariants() {}

    /** The variants stages of {@code kind} run, in the order they are documented. */
    public static Set<String> of(StageKind kind) {
        return switch (kind) {
            case SCORE -> new LinkedHashSet<>(Criteria.names());
            case PRUNE -> PruneStage.VARIANTS;
            case EVALUATE -> EvaluateStage.VARIANTS;
            case FINETUNE -> FinetuneStage.VARIANTS;
        };
    }

    /**
     * The variant {@code stage} runs for a job: the one the slip names, or else its kind's default
     * (the job's criterion for scoring, its allocation for pruning), lower-cased as the stages look
     * names up.
     */
    public static String resolve(Stage stage, JobSpec spec) {
        String fallback = switch (stage.kind()) {
            case SCORE -> spec.criterion();
            case PRUNE -> spec.allocation();
            case EVALUATE -> EvaluateStage.DEFAULT_VARIANT;
            case FINETUNE -> FinetuneStage.DEFAULT_VARIANT;
        };
        String variant = stage.variantOr(fallback);
        return variant == null ? null : variant.trim().toLowerCase(Locale.ROOT);
    }

    /** What is wrong with {@code stage}'s variant for this job, naming the known ones; empty if nothing. */
    public static Optional<String> problem(Stage stage, JobSpec spec) {
        String variant = resolve(stage, spec);
        Set<String> known = of(stage.kind());
        if (variant != null && known.contains(variant)) {
            return Optional.empty();
        }
        return Optional.of("unknown " + stage.kind().id() + " variant '" + variant + "' in stage '" + stage
                + "' (known: " + String.join(", ", known) + ")");
    }

    /**
     * Stages that work on what an earlier stage of the slip made: GAL's masks for the mask cut, DSA's
     * learned ratios for its projection, AOFP's pruner half for its evaluator half.
     */
    private static final Map<String, String> NEEDS_EARLIER = Map.of(
            StageKind.PRUNE.id() + ":" + MaskPruning.VARIANT, StageKind.FINETUNE.id() + ":gal",
            StageKind.PRUNE.id() + ":" + PruneStage.DSA, StageKind.FINETUNE.id() + ":dsa",
            StageKind.EVALUATE.id() + ":" + AofpPruning.VARIANT, StageKind.PRUNE.id() + ":" + AofpPruning.VARIANT);

    /**
     * Everything wrong with a job's slip as the stages will run it: unknown variants, and stages
     * placed before the stage whose output they work on.
     */
    public static List<String> problems(RoutingSlip slip, JobSpec spec) {
        List<String> problems = new ArrayList<>();
        Set<String> earlier = new HashSet<>();
        for (Stage stage : slip.stages()) {
            Optional<String> unknown = problem(stage, spec);
            if (unknown.isPresent()) {
                problems.add(unknown.get());
                continue;
            }
            String named = stage.kind().id() + ":" + resolve(stage, spec);
            String needed = NEEDS_EARLIER.get(named);
            if (needed != null && !earlier.contains(needed)) {
                problems.add("stage '" + named + "' works on what '" + needed + "' makes, so the slip needs '"
                        + needed + "' before it");
            }
            earlier.add(named);
        }
        return problems;
    }

    /** {@link #resolve}, failing the stage if no stage of its kind runs it. */
    static String require(Stage stage, JobSpec spec) {
        problem(stage, spec).ifPresent(p -> {
            throw new StageFailure(p);
        });
        return resolve(stage, spec);
    }
}

package io.prunestream.pipeline.stage;

import io.prunestream.core.allocation.Allocators;
import io.prunestream.core.importance.Criteria;
import io.prunestream.pipeline.ArtifactRoles;
import io.prunestream.pipeline.JobMessage;
import io.prunestream.pipeline.Stage;
import io.prunestream.pipeline.StageKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Receives submissions from {@code prune.jobs}: checks the whole job up front (spec values, the
 * service's {@link JobLimits} and data roots, every criterion and allocation its slip names, the model
 * artifact's checksum and validity) so that a bad job fails at once with every problem listed, then
 * sends it to its first stage's topic.
 */
public final class JobIntake implements StageHandler {
    public static final String NAME = "intake";
    private static final Set<String> EVALUATE_VARIANTS = Set.of("adaptive-bn", "adaptive-bn-cumulative", "plain", "final",
            AofpPruning.VARIANT);

    private final JobLimits limits;

    public JobIntake(JobLimits limits) {
        this.limits = limits;
    }

    /** With {@link JobLimits#defaults()}: for in-process pipelines and tests. */
    public JobIntake() {
        this(JobLimits.defaults());
    }

    @Override
    public StageKind kind() {
        return null;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public StageOutcome handle(JobMessage message, StageContext context) {
        List<String> problems = new ArrayList<>(message.spec().validate());
        problems.addAll(limits.check(message));
        for (Stage stage : message.slip().stages()) {
            try {
                switch (stage.kind()) {
                    case SCORE -> Criteria.byName(stage.variantOr(message.spec().criterion()));
                    case PRUNE -> {
                        String allocation = stage.variantOr(message.spec().allocation());
                        if (!MaskPruning.VARIANT.equals(stage.variant())
                                && !PruneStage.PIPELINE_STRATEGIES.contains(allocation.toLowerCase(java.util.Locale.ROOT))) {
                            Allocators.byName(allocation);
                        }
                    }
                    case EVALUATE -> {
                        if (!EVALUATE_VARIANTS.contains(stage.variantOr("adaptive-bn"))) {
                            problems.add("unknown evaluate variant '" + stage.variant() + "' (known: "
                                    + String.join(", ", EVALUATE_VARIANTS) + ")");
                        }
                    }
                    case FINETUNE -> {
                        if (!FinetuneStage.VARIANTS.contains(stage.variantOr("plain"))) {
                            problems.add("unknown finetune variant '" + stage.variant() + "' (known: "
                                    + String.join(", ", FinetuneStage.VARIANTS) + ")");
                        }
                    }
                }
            } catch (IllegalArgumentException e) {
                problems.add(e.getMessage());
            }
        }
        if (!problems.isEmpty()) {
            throw new StageFailure("invalid job: " + String.join("; ", problems));
        }
        // Loading verifies size, checksum and the package itself before any service spends time on it.
        context.store().loadModel(message.artifact(ArtifactRoles.MODEL));
        return StageOutcome.forward(message, Map.of());
    }
}

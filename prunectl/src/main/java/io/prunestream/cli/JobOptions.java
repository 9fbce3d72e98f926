package io.prunestream.cli;

import io.prunestream.core.allocation.ChannelRounding;
import io.prunestream.pipeline.AcceptanceRule;
import io.prunestream.pipeline.ArtifactRef;
import io.prunestream.pipeline.JobSpec;
import io.prunestream.pipeline.StageKind;
import io.prunestream.pipeline.stage.StageVariants;
import io.prunestream.core.allocation.TargetKind;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Option;

/** What a job asks for; defaults are the pipeline's (JobSpec). */
final class JobOptions {
    /** {@code --round-to} of {@code prune} and {@code submit}: one default, one wording. */
    static final String ROUND_TO_DEFAULT = "" + ChannelRounding.DEFAULT_ROUND_TO;
    static final String ROUND_TO_HELP = "every pruned group keeps a multiple of N channels, or all of them (a group of "
            + "N or fewer is left whole): aligned widths avoid the wrong convolutions oneDNN computes on some CPUs for "
            + "other counts, and run faster; 1 = no rounding";

    @Option(names = "--criterion", defaultValue = JobSpec.Builder.DEFAULT_CRITERION, completionCandidates = CriterionNames.class,
            description = "importance criterion: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE})")
    String criterion;

    @Option(names = "--allocation", defaultValue = JobSpec.Builder.DEFAULT_ALLOCATION, completionCandidates = AllocationNames.class,
            description = "ratio strategy: ${COMPLETION-CANDIDATES}; picks the default slip (default: ${DEFAULT-VALUE})")
    String allocation;

    @ArgGroup(multiplicity = "0..1")
    Target target;

    static final class Target {
        @Option(names = "--target-flops", paramLabel = "FRACTION", description = "fraction of FLOPs to keep (default " + JobSpec.Builder.DEFAULT_TARGET_FRACTION + ")")
        Double flops;

        @Option(names = "--target-params", paramLabel = "FRACTION", description = "fraction of parameters to keep")
        Double params;
    }

    @Option(names = "--candidates", defaultValue = "" + JobSpec.Builder.DEFAULT_CANDIDATES, description = "candidates per round (default: ${DEFAULT-VALUE})")
    int candidates;

    @Option(names = "--max-drop", paramLabel = "POINTS",
            description = "accept only candidates losing at most this many accuracy points (default: best of N)")
    Double maxDrop;

    @Option(names = "--max-rounds", defaultValue = "" + JobSpec.Builder.DEFAULT_MAX_ROUNDS, description = "prune/evaluate rounds at most (default: ${DEFAULT-VALUE})")
    int maxRounds;

    @Option(names = "--min-channels", defaultValue = "" + JobSpec.Builder.DEFAULT_MIN_CHANNELS, description = "fewest channels any group keeps (default: ${DEFAULT-VALUE})")
    int minChannels;

    @Option(names = "--round-to", paramLabel = "N", defaultValue = ROUND_TO_DEFAULT,
            description = ROUND_TO_HELP + ", at most " + JobSpec.Builder.MAX_ROUND_TO + " (default: ${DEFAULT-VALUE})")
    int roundTo;

    @Option(names = "--finetune-epochs", defaultValue = "" + JobSpec.Builder.DEFAULT_FINETUNE_EPOCHS, description = "fine-tuning epochs of the accepted candidate; 0 to skip (default: ${DEFAULT-VALUE})")
    int finetuneEpochs;

    @Option(names = "--lr", defaultValue = "" + JobSpec.Builder.DEFAULT_LEARNING_RATE, description = "fine-tuning learning rate (default: ${DEFAULT-VALUE})")
    double learningRate;

    @Option(names = "--calibration-batches", defaultValue = "" + JobSpec.Builder.DEFAULT_CALIBRATION_BATCHES, description = "adaptive-BN batches (default: ${DEFAULT-VALUE})")
    int calibrationBatches;

    @Option(names = "--data", paramLabel = "DIR", description = "IDX image folder, as the stages see it (default: the services' own; for prune, $PRUNESTREAM_DATA or /usr/share/datasets/fashion-mnist)")
    String dataDir;

    @Option(names = "--train-limit", paramLabel = "N", description = "use at most N training images (default: all)")
    Integer trainLimit;

    @Option(names = "--held-out-limit", paramLabel = "N", description = "use at most N held-out images to judge candidates (default: all)")
    Integer heldOutLimit;

    @Option(names = "--test-limit", paramLabel = "N", description = "use at most N test images for the report (default: all)")
    Integer testLimit;

    @Option(names = "--seed", defaultValue = "" + JobSpec.Builder.DEFAULT_SEED, description = "seed for splits, sampling, candidates and training (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--stage-timeout", defaultValue = "" + JobSpec.Builder.DEFAULT_STAGE_TIMEOUT_SECONDS, paramLabel = "SECONDS", description = "longest any one stage may run (default: ${DEFAULT-VALUE})")
    int stageTimeout;

    @Option(names = "--budget", paramLabel = "SECONDS",
            description = "wall-clock budget of the whole job; once spent it ends CANCELLED (default: none)")
    Integer budget;

    @Option(names = "--slip", paramLabel = "STAGES",
            description = "routing slip, e.g. \"score:fpgm -> prune:global -> evaluate:adaptive-bn -> finetune -> evaluate:final\"")
    String slip;

    @Option(names = "--option", paramLabel = "KEY=VALUE", description = "a method option, e.g. "
            + "distillation.weight=0.5 or eagleeye.tolerance=0.02 (repeatable; docs/SEARCH.md, docs/TRAINING.md)")
    java.util.Map<String, Double> methodOptions = new java.util.LinkedHashMap<>();

    @Option(names = "--grading", description = "also grade every criterion against the exact oracle on this model; "
            + "the report lists each one's Spearman correlation")
    boolean grading;

    JobSpec toSpec(ArtifactRef model) {
        boolean byParams = target != null && target.params != null;
        double fraction = target == null ? JobSpec.Builder.DEFAULT_TARGET_FRACTION : byParams ? target.params : target.flops;
        return JobSpec.builder().model(model).targetKind(byParams ? TargetKind.PARAMS : TargetKind.FLOPS)
                .targetFraction(fraction).criterion(criterion).allocation(allocation).candidates(candidates)
                .acceptance(maxDrop == null ? AcceptanceRule.bestOfN() : AcceptanceRule.tolerance(maxDrop))
                .maxRounds(maxRounds).minChannels(minChannels).roundTo(roundTo).finetuneEpochs(finetuneEpochs)
                .learningRate(learningRate).datasetDir(dataDir).trainImages(trainLimit).heldOutImages(heldOutLimit)
                .testImages(testLimit).calibrationBatches(calibrationBatches).seed(seed)
                .stageTimeoutSeconds(stageTimeout).budgetSeconds(budget).routingSlip(slip).grading(grading).methodOptions(methodOptions)
                .build();
    }

    /** The criteria the score stage runs. */
    static final class CriterionNames implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return StageVariants.of(StageKind.SCORE).iterator();
        }
    }

    /** What a job's allocation can name: every prune variant but the cut that only a GAL slip ends in. */
    static final class AllocationNames implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return StageVariants.of(StageKind.PRUNE).stream().filter(n -> !n.equals(StageVariants.GAL_MASK_CUT))
                    .iterator();
        }
    }
}

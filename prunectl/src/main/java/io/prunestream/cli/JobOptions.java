package io.prunestream.cli;

import io.prunestream.core.allocation.ChannelRounding;
import io.prunestream.pipeline.AcceptanceRule;
import io.prunestream.pipeline.ArtifactRef;
import io.prunestream.pipeline.JobSpec;
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

    @Option(names = "--criterion", defaultValue = "l1", description = "importance criterion (default: ${DEFAULT-VALUE})")
    String criterion;

    @Option(names = "--allocation", defaultValue = "uniform",
            description = "ratio strategy: uniform, global, threshold, eagleeye, aofp or dsa; picks the default slip (default: ${DEFAULT-VALUE})")
    String allocation;

    @ArgGroup(multiplicity = "0..1")
    Target target;

    static final class Target {
        @Option(names = "--target-flops", paramLabel = "FRACTION", description = "fraction of FLOPs to keep (default 0.5)")
        Double flops;

        @Option(names = "--target-params", paramLabel = "FRACTION", description = "fraction of parameters to keep")
        Double params;
    }

    @Option(names = "--candidates", defaultValue = "1", description = "candidates per round (default: ${DEFAULT-VALUE})")
    int candidates;

    @Option(names = "--max-drop", paramLabel = "POINTS",
            description = "accept only candidates losing at most this many accuracy points (default: best of N)")
    Double maxDrop;

    @Option(names = "--max-rounds", defaultValue = "3", description = "prune/evaluate rounds at most (default: ${DEFAULT-VALUE})")
    int maxRounds;

    @Option(names = "--min-channels", defaultValue = "1", description = "(default: ${DEFAULT-VALUE})")
    int minChannels;

    @Option(names = "--round-to", paramLabel = "N", defaultValue = ROUND_TO_DEFAULT,
            description = ROUND_TO_HELP + ", at most " + JobSpec.Builder.MAX_ROUND_TO + " (default: ${DEFAULT-VALUE})")
    int roundTo;

    @Option(names = "--finetune-epochs", defaultValue = "1", description = "(default: ${DEFAULT-VALUE})")
    int finetuneEpochs;

    @Option(names = "--lr", defaultValue = "0.01", description = "fine-tuning learning rate (default: ${DEFAULT-VALUE})")
    double learningRate;

    @Option(names = "--calibration-batches", defaultValue = "50", description = "adaptive-BN batches (default: ${DEFAULT-VALUE})")
    int calibrationBatches;

    @Option(names = "--data", paramLabel = "DIR", description = "IDX folder as the services see it (default: theirs)")
    String dataDir;

    @Option(names = "--train-limit", paramLabel = "N") Integer trainLimit;

    @Option(names = "--held-out-limit", paramLabel = "N") Integer heldOutLimit;

    @Option(names = "--test-limit", paramLabel = "N") Integer testLimit;

    @Option(names = "--seed", defaultValue = "42", description = "(default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--stage-timeout", defaultValue = "1800", paramLabel = "SECONDS", description = "(default: ${DEFAULT-VALUE})")
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
        double fraction = target == null ? 0.5 : byParams ? target.params : target.flops;
        return JobSpec.builder().model(model).targetKind(byParams ? TargetKind.PARAMS : TargetKind.FLOPS)
                .targetFraction(fraction).criterion(criterion).allocation(allocation).candidates(candidates)
                .acceptance(maxDrop == null ? AcceptanceRule.bestOfN() : AcceptanceRule.tolerance(maxDrop))
                .maxRounds(maxRounds).minChannels(minChannels).roundTo(roundTo).finetuneEpochs(finetuneEpochs)
                .learningRate(learningRate).datasetDir(dataDir).trainImages(trainLimit).heldOutImages(heldOutLimit)
                .testImages(testLimit).calibrationBatches(calibrationBatches).seed(seed)
                .stageTimeoutSeconds(stageTimeout).budgetSeconds(budget).routingSlip(slip).grading(grading).methodOptions(methodOptions)
                .build();
    }
}

package io.prunestream.pipeline;

import io.prunestream.core.allocation.TargetKind;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonPOJOBuilder;
import io.prunestream.core.allocation.ChannelRounding;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a user submits: the model, the budget, the methods, and how hard to try. Fields left out of
 * a submission take the defaults of {@link Builder}.
 *
 * <p>Construction checks only the format version; {@link #validate()} lists what is wrong with the
 * content, so that a bad submission still decodes and can be answered with an error result naming
 * every problem, rather than vanishing into the dead-letter topic.
 *
 * @param targetFraction the share of the original's FLOPs (or params) the result may keep: 0.5 = half
 * @param criterion channel importance criterion for the scorer (l1, l2, fpgm, taylor, ...); names are
 *     checked by the scorer
 * @param allocation per-layer ratio allocation for the pruner (uniform, global, eagleeye, aofp, dsa)
 * @param candidates how many pruned candidates the pruner proposes per round
 * @param maxRounds prune/evaluate rounds in total, the first included: 3 allows two loop-backs
 * @param minChannels channels every pruned layer keeps at least
 * @param roundTo every pruned group keeps a multiple of this many channels, or all of them; 1 = no
 *     rounding ({@link ChannelRounding}). Submissions written before the
 *     field existed decode with the default, like any field left out
 * @param datasetDir folder of IDX files; {@code null} for Fashion-MNIST at its default location
 * @param trainImages images of the training split to use; {@code null} for all (likewise heldOut, test)
 * @param heldOutImages images split off the training data to score candidates on
 * @param calibrationBatches training batches adaptive BN recomputes statistics on
 * @param routingSlip stages as text; {@code null} for {@link RoutingSlip#standard}
 * @param grading whether the scorer also grades every criterion against the oracle on this model and
 *     the report carries each criterion's rank correlation with it
 * @param budgetSeconds wall-clock budget of the whole job, counted from when the pipeline first took
 *     it; once spent, the job ends with a {@code CANCELLED} result saying so. {@code null}: no budget
 *     beyond each stage's {@code stageTimeoutSeconds}
 * @param methodOptions numeric knobs of the methods by name ({@link MethodOptions}); missing ones take
 *     their defaults
 */
@JsonDeserialize(builder = JobSpec.Builder.class)
public record JobSpec(
        int formatVersion,
        ArtifactRef model,
        TargetKind targetKind,
        double targetFraction,
        String criterion,
        String allocation,
        int candidates,
        AcceptanceRule acceptance,
        int maxRounds,
        int minChannels,
        int roundTo,
        int finetuneEpochs,
        double learningRate,
        String datasetDir,
        Integer trainImages,
        Integer heldOutImages,
        Integer testImages,
        int calibrationBatches,
        long seed,
        int stageTimeoutSeconds,
        String routingSlip,
        boolean grading,
        Map<String, Double> methodOptions,
        Integer budgetSeconds)
        implements Versioned {

    public JobSpec {
        Versioned.requireSupported(formatVersion, "JobSpec");
        methodOptions = methodOptions == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(methodOptions));
    }

    /** The job's value of a method option, or the option's default. */
    public double option(MethodOptions.Option option) {
        Double value = methodOptions.get(option.key());
        return value == null ? option.defaultValue() : value;
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder()
                .formatVersion(formatVersion)
                .model(model)
                .targetKind(targetKind)
                .targetFraction(targetFraction)
                .criterion(criterion)
                .allocation(allocation)
                .candidates(candidates)
                .acceptance(acceptance)
                .maxRounds(maxRounds)
                .minChannels(minChannels)
                .roundTo(roundTo)
                .finetuneEpochs(finetuneEpochs)
                .learningRate(learningRate)
                .datasetDir(datasetDir)
                .trainImages(trainImages)
                .heldOutImages(heldOutImages)
                .testImages(testImages)
                .calibrationBatches(calibrationBatches)
                .seed(seed)
                .stageTimeoutSeconds(stageTimeoutSeconds)
                .routingSlip(routingSlip)
                .grading(grading)
                .methodOptions(methodOptions)
                .budgetSeconds(budgetSeconds);
    }

    /** The slip the job starts with: the one given, or the standard one for the criterion and allocation. */
    public RoutingSlip effectiveSlip() {
        return routingSlip == null ? RoutingSlip.standard(criterion, allocation) : RoutingSlip.parse(routingSlip);
    }

    /** Every problem with this spec, worded for the user who submitted it; empty when it can run. */
    public List<String> validate() {
        List<String> problems = new ArrayList<>();
        if (model == null) {
            problems.add("model is required");
        }
        if (targetKind == null) {
            problems.add("targetKind is required (flops or params)");
        }
        if (!(targetFraction > 0 && targetFraction <= 1)) {
            problems.add("targetFraction must be in (0, 1], the share of " + targetKindName() + " to keep; got "
                    + targetFraction);
        }
        requireName(problems, "criterion", criterion);
        requireName(problems, "allocation", allocation);
        requireAtLeast(problems, "candidates", candidates, 1);
        requireAtLeast(problems, "maxRounds", maxRounds, 1);
        requireAtLeast(problems, "minChannels", minChannels, 1);
        if (roundTo < 1 || roundTo > Builder.MAX_ROUND_TO) {
            problems.add("roundTo must be between 1 and " + Builder.MAX_ROUND_TO + " (kept channels per group are "
                    + "rounded up to a multiple of it; 1 = no rounding), got " + roundTo);
        }
        requireAtLeast(problems, "finetuneEpochs", finetuneEpochs, 0);
        requireAtLeast(problems, "calibrationBatches", calibrationBatches, 1);
        requireAtLeast(problems, "stageTimeoutSeconds", stageTimeoutSeconds, 1);
        if (budgetSeconds != null && budgetSeconds < 1) {
            problems.add("budgetSeconds must be positive, or left out for no budget; got " + budgetSeconds);
        }
        requirePositiveOrAll(problems, "trainImages", trainImages);
        requirePositiveOrAll(problems, "heldOutImages", heldOutImages);
        requirePositiveOrAll(problems, "testImages", testImages);
        if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
            problems.add("learningRate must be positive, got " + learningRate);
        }
        if (acceptance == null) {
            problems.add("acceptance is required");
        } else if (!(acceptance.maxAccuracyDrop() >= 0) || Double.isInfinite(acceptance.maxAccuracyDrop())) {
            problems.add("acceptance.maxAccuracyDrop must be at least 0 points, got " + acceptance.maxAccuracyDrop());
        }
        if (routingSlip != null) {
            try {
                RoutingSlip.parse(routingSlip);
            } catch (IllegalArgumentException e) {
                problems.add(e.getMessage());
            }
        }
        problems.addAll(MethodOptions.validate(methodOptions));
        return problems;
    }

    private String targetKindName() {
        return targetKind == TargetKind.PARAMS ? "parameters" : "FLOPs";
    }

    private static void requireName(List<String> problems, String field, String value) {
        if (value == null || value.isBlank()) {
            problems.add(field + " is required");
        }
    }

    private static void requireAtLeast(List<String> problems, String field, long value, long min) {
        if (value < min) {
            problems.add(field + " must be at least " + min + ", got " + value);
        }
    }

    private static void requirePositiveOrAll(List<String> problems, String field, Integer value) {
        if (value != null && value < 1) {
            problems.add(field + " must be positive, or left out to use all images; got " + value);
        }
    }

    /** Holds the defaults; also what JSON decoding fills, so a field left out keeps its default. */
    @JsonPOJOBuilder(withPrefix = "")
    public static final class Builder {
        public static final double DEFAULT_TARGET_FRACTION = 0.5;
        public static final String DEFAULT_CRITERION = "l1";
        public static final String DEFAULT_ALLOCATION = "uniform";
        public static final int DEFAULT_CANDIDATES = 1;
        public static final int DEFAULT_MIN_CHANNELS = 1;
        public static final int DEFAULT_MAX_ROUNDS = 3;
        public static final int DEFAULT_FINETUNE_EPOCHS = 1;
        public static final double DEFAULT_LEARNING_RATE = 0.01;
        public static final int DEFAULT_CALIBRATION_BATCHES = 50;
        public static final long DEFAULT_SEED = 42;
        public static final int DEFAULT_STAGE_TIMEOUT_SECONDS = 1800;
        /** Well above any SIMD block or tensor-core tile: a larger value is a typo, not a wish. */
        public static final int MAX_ROUND_TO = 256;

        private int formatVersion = CURRENT_FORMAT;
        private ArtifactRef model;
        private TargetKind targetKind = TargetKind.FLOPS;
        private double targetFraction = DEFAULT_TARGET_FRACTION;
        private String criterion = DEFAULT_CRITERION;
        private String allocation = DEFAULT_ALLOCATION;
        private int candidates = DEFAULT_CANDIDATES;
        private AcceptanceRule acceptance = AcceptanceRule.bestOfN();
        private int maxRounds = DEFAULT_MAX_ROUNDS;
        private int minChannels = DEFAULT_MIN_CHANNELS;
        private int roundTo = ChannelRounding.DEFAULT_ROUND_TO;
        private int finetuneEpochs = DEFAULT_FINETUNE_EPOCHS;
        private double learningRate = DEFAULT_LEARNING_RATE;
        private String datasetDir;
        private Integer trainImages;
        private Integer heldOutImages;
        private Integer testImages;
        private int calibrationBatches = DEFAULT_CALIBRATION_BATCHES;
        private long seed = DEFAULT_SEED;
        private int stageTimeoutSeconds = DEFAULT_STAGE_TIMEOUT_SECONDS;
        private String routingSlip;
        private boolean grading;
        private Map<String, Double> methodOptions = new LinkedHashMap<>();
        private Integer budgetSeconds;

        private Builder() {}

        public Builder formatVersion(int value) {
            formatVersion = value;
            return this;
        }

        public Builder model(ArtifactRef value) {
            model = value;
            return this;
        }

        public Builder targetKind(TargetKind value) {
            targetKind = value;
            return this;
        }

        public Builder targetFraction(double value) {
            targetFraction = value;
            return this;
        }

        public Builder criterion(String value) {
            criterion = value;
            return this;
        }

        public Builder allocation(String value) {
            allocation = value;
            return this;
        }

        public Builder candidates(int value) {
            candidates = value;
            return this;
        }

        public Builder acceptance(AcceptanceRule value) {
            acceptance = value;
            return this;
        }

        public Builder maxRounds(int value) {
            maxRounds = value;
            return this;
        }

        public Builder minChannels(int value) {
            minChannels = value;
            return this;
        }

        public Builder roundTo(int value) {
            roundTo = value;
            return this;
        }

        public Builder finetuneEpochs(int value) {
            finetuneEpochs = value;
            return this;
        }

        public Builder learningRate(double value) {
            learningRate = value;
            return this;
        }

        public Builder datasetDir(String value) {
            datasetDir = value;
            return this;
        }

        public Builder trainImages(Integer value) {
            trainImages = value;
            return this;
        }

        public Builder heldOutImages(Integer value) {
            heldOutImages = value;
            return this;
        }

        public Builder testImages(Integer value) {
            testImages = value;
            return this;
        }

        public Builder calibrationBatches(int value) {
            calibrationBatches = value;
            return this;
        }

        public Builder seed(long value) {
            seed = value;
            return this;
        }

        public Builder stageTimeoutSeconds(int value) {
            stageTimeoutSeconds = value;
            return this;
        }

        public Builder routingSlip(String value) {
            routingSlip = value;
            return this;
        }

        public Builder grading(boolean value) {
            grading = value;
            return this;
        }

        public Builder budgetSeconds(Integer value) {
            budgetSeconds = value;
            return this;
        }

        /** Replaces all method options. */
        public Builder methodOptions(Map<String, Double> value) {
            methodOptions = value == null ? new LinkedHashMap<>() : new LinkedHashMap<>(value);
            return this;
        }

        /** Sets one method option. */
        public Builder option(MethodOptions.Option option, double value) {
            methodOptions.put(option.key(), value);
            return this;
        }

        public JobSpec build() {
            return new JobSpec(formatVersion, model, targetKind, targetFraction, criterion, allocation, candidates,
                    acceptance, maxRounds, minChannels, roundTo, finetuneEpochs, learningRate, datasetDir, trainImages,
                    heldOutImages, testImages, calibrationBatches, seed, stageTimeoutSeconds, routingSlip, grading,
                    methodOptions, budgetSeconds);
        }
    }
}

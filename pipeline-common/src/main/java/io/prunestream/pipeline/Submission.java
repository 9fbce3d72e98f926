package io.prunestream.pipeline;

import io.prunestream.core.allocation.TargetKind;

import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * What a producer writes on {@link Topics#JOBS}: a model, a budget and the methods, and nothing of
 * the pipeline's own bookkeeping (slip position, rounds, attempts, artifacts). Its JSON Schema is
 * {@link SubmissionSchema#RESOURCE}; {@code SubmissionSchemaTest} keeps this record and the schema
 * naming the same properties. The intake turns a submission into the job's first internal
 * {@link JobMessage}; a property left out ({@code null} here) takes the default of
 * {@link JobSpec.Builder}, which the schema states as its {@code default}.
 *
 * @param submissionVersion {@value #VERSION}; another number is another contract
 * @param jobId optional: the intake assigns one when it is left out (see {@link SubmissionIds})
 * @param maxAccuracyDrop when given, the tolerance acceptance rule with this drop; else best of N
 * @param stages the methods in order, as routing slip stages ({@code score:fpgm}, {@code prune}, ...)
 */
public record Submission(
        int submissionVersion,
        String jobId,
        ModelReference model,
        TargetKind targetKind,
        Double targetFraction,
        String criterion,
        String allocation,
        Integer candidates,
        Double maxAccuracyDrop,
        Integer maxRounds,
        Integer minChannels,
        Integer roundTo,
        Integer finetuneEpochs,
        Double learningRate,
        String datasetDir,
        Integer trainImages,
        Integer heldOutImages,
        Integer testImages,
        Integer calibrationBatches,
        Long seed,
        Integer stageTimeoutSeconds,
        Integer budgetSeconds,
        List<String> stages,
        Boolean grading,
        Map<String, Double> methodOptions) {
    public static final int VERSION = 1;

    /**
     * Where a model lies, as the intake's upload endpoint answers it.
     *
     * @param uri {@code s3://bucket/key} or a path relative to the pipeline's artifact store
     */
    public record ModelReference(String uri, long size, String sha256) {}

    /** The job spec this submission asks for, its model already resolved to a store reference. */
    public JobSpec toSpec(ArtifactRef resolvedModel) {
        JobSpec.Builder b = JobSpec.builder().model(resolvedModel);
        set(targetKind, b::targetKind);
        set(targetFraction, b::targetFraction);
        set(criterion, b::criterion);
        set(allocation, b::allocation);
        set(candidates, b::candidates);
        set(maxAccuracyDrop, drop -> b.acceptance(AcceptanceRule.tolerance(drop)));
        set(maxRounds, b::maxRounds);
        set(minChannels, b::minChannels);
        set(roundTo, b::roundTo);
        set(finetuneEpochs, b::finetuneEpochs);
        set(learningRate, b::learningRate);
        b.datasetDir(datasetDir).trainImages(trainImages).heldOutImages(heldOutImages).testImages(testImages);
        set(calibrationBatches, b::calibrationBatches);
        set(seed, b::seed);
        set(stageTimeoutSeconds, b::stageTimeoutSeconds);
        b.budgetSeconds(budgetSeconds);
        set(stages, list -> b.routingSlip(String.join(" -> ", list)));
        set(grading, b::grading);
        set(methodOptions, b::methodOptions);
        return b.build();
    }

    /**
     * The submission that asks for {@code spec}: what {@code prunectl submit} writes, so the command
     * line is a producer like any other.
     */
    public static Submission of(String jobId, ModelReference model, JobSpec spec) {
        boolean tolerance = spec.acceptance().rule() == AcceptanceRule.Rule.TOLERANCE;
        List<String> stages = spec.routingSlip() == null ? null
                : spec.effectiveSlip().stages().stream().map(Stage::toString).toList();
        return new Submission(VERSION, jobId, model, spec.targetKind(), spec.targetFraction(), spec.criterion(),
                spec.allocation(), spec.candidates(), tolerance ? spec.acceptance().maxAccuracyDrop() : null,
                spec.maxRounds(), spec.minChannels(), spec.roundTo(), spec.finetuneEpochs(), spec.learningRate(),
                spec.datasetDir(), spec.trainImages(), spec.heldOutImages(), spec.testImages(),
                spec.calibrationBatches(), spec.seed(), spec.stageTimeoutSeconds(), spec.budgetSeconds(), stages, spec.grading(),
                spec.methodOptions().isEmpty() ? null : spec.methodOptions());
    }

    private static <T> void set(T value, Consumer<T> setter) {
        if (value != null) {
            setter.accept(value);
        }
    }
}

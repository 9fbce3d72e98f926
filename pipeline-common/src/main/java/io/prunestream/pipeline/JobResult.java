package io.prunestream.pipeline;

import java.util.Objects;

/**
 * How a job ended, on {@link Topics#RESULTS}: every job gets exactly one, success or failure, so a
 * user never waits for a job that was silently dropped.
 *
 * @param failedStage the stage that failed, in text form; {@code null} on success
 * @param cause what went wrong, worded for the user; {@code null} on success
 * @param model the delivered model; {@code null} on failure
 * @param timestamp epoch milliseconds
 */
public record JobResult(
        int formatVersion,
        String jobId,
        Status status,
        String failedStage,
        String cause,
        ArtifactRef model,
        JobReport report,
        long timestamp)
        implements Versioned {

    public enum Status {
        SUCCEEDED,
        FAILED,
        /** Stopped on request ({@code prunectl cancel}) or because the job's budget was spent; {@code cause} says which. */
        CANCELLED
    }

    public JobResult {
        Versioned.requireSupported(formatVersion, "JobResult");
        JobIds.requireValid(jobId);
        Objects.requireNonNull(status, "JobResult status");
        if (status != Status.SUCCEEDED && (cause == null || cause.isBlank())) {
            throw new IllegalArgumentException(status.name().toLowerCase(java.util.Locale.ROOT) + " JobResult for "
                    + jobId + " needs a cause");
        }
        if (status == Status.SUCCEEDED && (model == null || report == null)) {
            throw new IllegalArgumentException("succeeded JobResult for " + jobId + " needs a model and a report");
        }
    }

    public static JobResult succeeded(String jobId, ArtifactRef model, JobReport report) {
        return new JobResult(CURRENT_FORMAT, jobId, Status.SUCCEEDED, null, null, model, report,
                System.currentTimeMillis());
    }

    /** {@code stage} is where the job was when it stopped, if known, else null. */
    public static JobResult cancelled(String jobId, String stage, String cause) {
        return new JobResult(CURRENT_FORMAT, jobId, Status.CANCELLED, stage, cause, null, null,
                System.currentTimeMillis());
    }

    public static JobResult failed(String jobId, String stage, String cause) {
        return new JobResult(CURRENT_FORMAT, jobId, Status.FAILED, stage, cause, null, null,
                System.currentTimeMillis());
    }
}

package io.prunestream.pipeline;

import java.util.Objects;

/**
 * An instruction about a running job, on {@link Topics#CONTROL} keyed by the job id. The one action
 * so far is {@link Action#CANCEL}: stop the job's work wherever it is and end it with a
 * {@link JobResult.Status#CANCELLED} result. Users send it ({@code prunectl cancel}); so does a stage
 * that finds the job's wall-clock budget spent, so that every cancelled job ends through one path.
 *
 * @param reason why, as the result's cause will say it
 * @param timestamp epoch milliseconds
 */
public record ControlMessage(int formatVersion, String jobId, Action action, String reason, long timestamp)
        implements Versioned {

    public enum Action {
        CANCEL
    }

    public ControlMessage {
        Versioned.requireSupported(formatVersion, "ControlMessage");
        JobIds.requireValid(jobId);
        Objects.requireNonNull(action, "ControlMessage needs an action (CANCEL)");
        if (reason == null || reason.isBlank()) {
            throw new IllegalArgumentException("ControlMessage for " + jobId + " needs a reason");
        }
    }

    public static ControlMessage cancel(String jobId, String reason) {
        return new ControlMessage(CURRENT_FORMAT, jobId, Action.CANCEL, reason, System.currentTimeMillis());
    }
}

package io.prunestream.pipeline.stage;

import io.prunestream.core.cancel.OperationCancelledException;

/**
 * Stops a stage whose job was cancelled ({@code prunectl cancel}) or whose wall-clock budget is spent.
 * The stage answers nothing itself: the job's one {@code CANCELLED} result comes from
 * {@link JobCancellation}, which a spent budget reaches through a control record as a user's cancel does.
 */
public final class JobCancelledException extends OperationCancelledException {
    private final boolean budgetSpent;

    JobCancelledException(String reason, boolean budgetSpent) {
        super(reason);
        this.budgetSpent = budgetSpent;
    }

    /** True when the job's budget ran out here, so this stage must send the cancel; false for a user's cancel. */
    public boolean budgetSpent() {
        return budgetSpent;
    }
}

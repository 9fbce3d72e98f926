package io.prunestream.pipeline.stage;

import io.prunestream.pipeline.JobMessage;
import io.prunestream.pipeline.StageKind;

/**
 * One pipeline stage as a plain function of its message: the science goes through pruning-core, the
 * artifacts through the store. Kafka, retries and idempotency are the {@link StageRunner}'s business.
 */
public interface StageHandler {
    /** The stage kind served; {@code null} for the {@link JobIntake}, which sees jobs before any stage. */
    StageKind kind();

    /** The name used for ledger records and metrics. */
    default String name() {
        return kind().id();
    }

    StageOutcome handle(JobMessage message, StageContext context);
}

package io.prunestream.pipeline.stage;

import io.prunestream.pipeline.ArtifactStore;
import io.prunestream.pipeline.JobMessage;
import io.prunestream.pipeline.Json;
import io.prunestream.pipeline.MessageFormatException;
import io.prunestream.pipeline.StageKind;
import java.util.Optional;

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

    /**
     * The message a consumed record carries; throws {@link MessageFormatException} saying what is
     * wrong with a record it cannot use. Stage topics carry the internal {@link JobMessage} as JSON.
     */
    default JobMessage decode(InboundRecord record, ArtifactStore store) {
        return Json.fromJson(record.value(), JobMessage.class);
    }

    /** The job a record {@link #decode} refused belongs to, so that its producer gets an error result. */
    default Optional<String> jobIdOf(InboundRecord record) {
        return ReadableJobId.of(record);
    }
}

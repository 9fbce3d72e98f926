package io.prunestream.pipeline.stage;

import io.prunestream.pipeline.ArtifactStore;
import io.prunestream.pipeline.JobEvent;
import io.prunestream.pipeline.JobMessage;
import java.util.Map;

/** What a stage may use besides its message: the stores, data, its time limit and an event channel. */
public record StageContext(ArtifactStore store, JobLedger ledger, DatasetCache datasets, EventSink events,
        String service, Deadline deadline) {

    /** Emits a PROGRESS event for the message's job and stage. */
    public void progress(JobMessage message, String text, Map<String, ? extends Number> values) {
        events.emit(JobEvent.of(message.jobId(), message.stage().toString(), JobEvent.Type.PROGRESS, text, service)
                .withValues(values));
    }
}

package io.prunestream.pipeline.stage;

import io.prunestream.pipeline.JobResult;
import io.prunestream.pipeline.Json;
import io.prunestream.pipeline.Topics;

/** At most one result per job, whatever redeliveries, parallel candidates and cancels do. */
final class OneResult {
    static final String FINISHED = "finished";

    private OneResult() {}

    /**
     * Sends the result unless the job has one, then records that it has. Sent first, recorded after:
     * a crash in between repeats the result rather than losing it (at least once).
     */
    static void publish(JobLedger ledger, RecordSink sink, JobResult result) {
        if (ledger.exists(result.jobId(), FINISHED)) {
            return;
        }
        sink.send(new Outgoing(Topics.RESULTS, result.jobId(), Json.toJson(result)));
        ledger.claim(result.jobId(), FINISHED);
    }
}

package io.prunestream.pipeline.stage;

import io.prunestream.core.cancel.CancellationToken;
import io.prunestream.pipeline.ControlMessage;
import io.prunestream.pipeline.JobEvent;
import io.prunestream.pipeline.JobMessage;
import io.prunestream.pipeline.JobResult;
import io.prunestream.pipeline.Json;
import io.prunestream.pipeline.MessageFormatException;
import io.prunestream.pipeline.Topics;
import java.time.Duration;
import java.util.Optional;

/**
 * Cancellation and budgets, the one place a job ends {@code CANCELLED}.
 *
 * <p>A {@link ControlMessage} on {@link Topics#CONTROL} is taken by one consumer of the services'
 * shared control group, which (1) writes the job's {@value #MARKER} record to the ledger every service
 * shares, then (2) publishes the job's {@code CANCELLED} result, at most once, like every result. The
 * control topic is keyed by job id, so the records about one job are handled one after another.
 *
 * <p>Stages learn of it from the ledger: a stage that starts checks the record (and skips the job),
 * and a stage in progress polls it every {@link #POLL} through its {@link CancellationToken}, whose
 * checkpoints pruning-core's loops pass once per batch; so the work stops within a batch or so
 * wherever the job is, in any replica, without a broadcast to every process.
 *
 * <p>A job's budget ({@code budgetSeconds}) counts from the first time a stage took the job (the
 * {@value #ADMITTED} record). A stage that finds it spent, at its start or at a checkpoint, sends a
 * cancel for the job with the budget as its reason, so the result comes through the same path.
 */
public record JobCancellation(String service, JobLedger ledger, RecordSink sink, PipelineMetrics metrics) {
    static final String MARKER = "cancelled";
    static final String ADMITTED = "admitted-at";
    /** Where the job was last taken up, so that its result can say where it stopped. */
    static final String CURRENT_STAGE = "current-stage";
    /** How often a stage in progress looks at the ledger: well under a training batch. */
    static final Duration POLL = Duration.ofMillis(200);

    /** Handles one record of {@link Topics#CONTROL}; one it cannot read is dead-lettered. */
    public void process(InboundRecord record) {
        ControlMessage control;
        try {
            if (record.value() == null || record.value().isBlank()) {
                throw new MessageFormatException("the record value is empty; " + Topics.CONTROL
                        + " takes one JSON ControlMessage per record");
            }
            control = Json.fromJson(record.value(), ControlMessage.class);
        } catch (MessageFormatException e) {
            metrics.deadLetter();
            sink.send(DeadLetter.of(record, service, StageRunner.bounded(e.getMessage()),
                    ReadableJobId.of(record).orElse(null)));
            return;
        }
        cancel(control.jobId(), control.reason());
    }

    /** Ends the job {@code CANCELLED} with {@code reason}, unless it has ended already. */
    public void cancel(String jobId, String reason) {
        String cause = StageRunner.bounded(reason);
        if (ledger.exists(jobId, OneResult.FINISHED)) {
            sink.send(new Outgoing(Topics.EVENTS, jobId, Json.toJson(JobEvent.of(jobId, "control",
                    JobEvent.Type.PROGRESS, "cancel ignored, the job had already ended: " + cause, service))));
            return;
        }
        ledger.putIfAbsent(jobId, MARKER, cause);
        String where = ledger.get(jobId, CURRENT_STAGE).orElse(null);
        sink.send(new Outgoing(Topics.EVENTS, jobId, Json.toJson(JobEvent.of(jobId, where == null ? "control" : where,
                JobEvent.Type.FAILED, "cancelled: " + cause, service))));
        metrics.error(where == null ? "control" : where, "cancelled");
        OneResult.publish(ledger, sink, JobResult.cancelled(jobId, where, cause));
    }

    /** The reason the job was cancelled, if it was. */
    Optional<String> cancelled(String jobId) {
        return ledger.get(jobId, MARKER);
    }

    /**
     * The token a stage of {@code message} runs with: cancelled by a cancel of its job (polled in the
     * ledger) or once the job's budget is spent, besides what the caller adds.
     */
    CancellationToken token(JobMessage message, CancellationToken token) {
        String jobId = message.jobId();
        token.withProbe(POLL, () -> cancelled(jobId).map(why -> new JobCancelledException(why, false)).orElse(null));
        Integer budget = message.spec().budgetSeconds();
        if (budget != null) {
            long admitted = Long.parseLong(ledger.putIfAbsent(jobId, ADMITTED,
                    Long.toString(System.currentTimeMillis())).trim());
            long endNanos = System.nanoTime() + (admitted + budget * 1000L - System.currentTimeMillis()) * 1_000_000L;
            token.deadline(endNanos, () -> new JobCancelledException("the job's budget of " + budget
                    + " s (budgetSeconds) ran out in " + message.stage(), true));
        }
        return token;
    }

    /** Asks for the job to be cancelled because its budget is spent: through the control topic, like a user. */
    void budgetSpent(JobMessage message, JobCancelledException why) {
        ledger.put(message.jobId(), CURRENT_STAGE, message.stage().toString());
        sink.send(new Outgoing(Topics.CONTROL, message.jobId(), Json.toJson(ControlMessage.cancel(message.jobId(),
                why.getMessage()))));
    }
}

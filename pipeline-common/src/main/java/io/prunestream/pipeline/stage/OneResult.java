package io.prunestream.pipeline.stage;

import io.prunestream.pipeline.JobResult;
import io.prunestream.pipeline.Json;
import io.prunestream.pipeline.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * Exactly one result per job, whatever redeliveries, replicas, parallel candidates, cancels and
 * crashes do.
 *
 * <p>Sending first and recording after would repeat a result whenever a process died between the
 * two; recording first would lose it. So a sender first takes a {@link NumberedClaim} on the job's
 * result (renewed while the send waits for the broker), sends, then records {@link #FINISHED}.
 * Everyone else waits. Whoever takes over the claim of a sender that died first asks the results
 * topic whether the dead sender's record got out, and sends only if it did not.
 */
final class OneResult {
    static final String FINISHED = "finished";
    static final String CLAIMS = "result";
    /** Records on the results topic carry the producer's clock; this much skew between hosts is allowed. */
    static final Duration CLOCK_SLACK = Duration.ofMinutes(1);
    private static final Logger LOG = Logger.getLogger(OneResult.class.getName());
    private static final ScheduledExecutorService HEARTBEATS = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "result-claim-heartbeat");
        t.setDaemon(true);
        return t;
    });

    private OneResult() {}

    static boolean publish(JobLedger ledger, RecordSink sink, JobResult result) {
        return publish(ledger, sink, result, StageRunner.LEASE_BEAT, StageRunner.LEASE_STALE);
    }

    /**
     * Returns once the job has its result, sent by this call (true) or by another that holds or held
     * the claim (false: the job had ended already, perhaps otherwise).
     */
    static boolean publish(JobLedger ledger, RecordSink sink, JobResult result, Duration beat, Duration stale) {
        String jobId = result.jobId();
        NumberedClaim claim = new NumberedClaim(ledger, jobId, CLAIMS);
        while (true) {
            if (ledger.exists(jobId, FINISHED)) {
                return false;
            }
            NumberedClaim.Outcome outcome = claim.tryAcquire(stale);
            if (outcome == NumberedClaim.Outcome.HELD) {
                break;
            }
            if (outcome == NumberedClaim.Outcome.TAKEN_OVER) {
                if (sentByTheDeadHolder(sink, result, claim.firstClaimed())) {
                    ledger.claim(jobId, FINISHED);
                    return false;
                }
                break;
            }
            sleep(beat.dividedBy(6));
        }
        ScheduledFuture<?> heartbeat = HEARTBEATS.scheduleAtFixedRate(() -> renewQuietly(claim),
                beat.toMillis(), beat.toMillis(), TimeUnit.MILLISECONDS);
        try {
            sink.send(new Outgoing(Topics.RESULTS, jobId, Json.toJson(result)));
        } catch (RuntimeException e) {
            // Not sent: let go at once, so the redelivered record can send it without waiting out the claim.
            heartbeat.cancel(false);
            claim.release();
            throw e;
        }
        heartbeat.cancel(false);
        ledger.claim(jobId, FINISHED);
        return true;
    }

    /**
     * Whether a sender that died got the job's result out. A sink that cannot tell is answered "no":
     * for that sink (in-process queues, which die with every sender at once) a result is at least once.
     */
    private static boolean sentByTheDeadHolder(RecordSink sink, JobResult result, Instant firstClaimed) {
        Optional<Boolean> sent = sink.wasSent(Topics.RESULTS, result.jobId(), firstClaimed.minus(CLOCK_SLACK));
        if (sent.isEmpty()) {
            LOG.warning("job " + result.jobId() + ": a sender died while sending its result, and this sink cannot "
                    + "tell whether it got out; sending it (again)");
        }
        return sent.orElse(false);
    }

    private static void renewQuietly(NumberedClaim claim) {
        try {
            claim.renew();
        } catch (RuntimeException e) {
            // A missed beat only brings the claim closer to looking stale; the next one renews it.
        }
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(Math.max(1, d.toMillis()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ServiceShutdownException("this service", "a record waiting for another process to send its job's result");
        }
    }
}

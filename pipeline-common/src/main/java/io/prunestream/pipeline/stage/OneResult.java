package io.prunestream.pipeline.stage;

import io.prunestream.pipeline.JobResult;
import io.prunestream.pipeline.Json;
import io.prunestream.pipeline.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
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
 * two; recording first would lose it. So a sender first claims the right to send (a numbered
 * {@code result/sending-N} record, renewed while the send waits for the broker), sends, then records
 * {@link #FINISHED}. Everyone else waits. A claim that stops being renewed belonged to a process that
 * died; whoever takes over (by claiming the next number, which only one can) first asks the results
 * topic whether the dead sender's record got out, and sends only if it did not.
 */
final class OneResult {
    static final String FINISHED = "finished";
    static final String CLAIMS = "result";
    private static final String CLAIM_PREFIX = "sending-";
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
        String claim = null;
        while (claim == null) {
            if (ledger.exists(jobId, FINISHED)) {
                return false;
            }
            Optional<Claim> latest = latestClaim(ledger, jobId);
            if (latest.isEmpty()) {
                claim = tryClaim(ledger, jobId, 0);
            } else if (ledger.age(jobId, latest.get().name()).map(age -> age.compareTo(stale) > 0).orElse(false)) {
                claim = tryClaim(ledger, jobId, latest.get().number() + 1);
                if (claim != null && sentByAnEarlierClaim(ledger, sink, result, beat, stale)) {
                    ledger.claim(jobId, FINISHED);
                    return false;
                }
            } else {
                sleep(beat.dividedBy(6));
            }
        }
        String held = claim;
        ScheduledFuture<?> heartbeat = HEARTBEATS.scheduleAtFixedRate(() -> touchQuietly(ledger, jobId, held),
                beat.toMillis(), beat.toMillis(), TimeUnit.MILLISECONDS);
        try {
            sink.send(new Outgoing(Topics.RESULTS, jobId, Json.toJson(result)));
        } catch (RuntimeException e) {
            // Not sent: let go at once, so the redelivered record can send it without waiting out the claim.
            heartbeat.cancel(false);
            ledger.delete(jobId, held);
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
    private static boolean sentByAnEarlierClaim(JobLedger ledger, RecordSink sink, JobResult result, Duration beat,
            Duration stale) {
        Instant since = firstClaimTime(ledger, result.jobId()).minus(CLOCK_SLACK);
        Optional<Boolean> sent = sink.wasSent(Topics.RESULTS, result.jobId(), since);
        if (sent.isEmpty()) {
            LOG.warning("job " + result.jobId() + ": a sender died while sending its result, and this sink cannot "
                    + "tell whether it got out; sending it (again)");
        }
        return sent.orElse(false);
    }

    private static String tryClaim(JobLedger ledger, String jobId, int number) {
        String name = CLAIMS + "/" + CLAIM_PREFIX + number;
        String mine = System.currentTimeMillis() + " " + UUID.randomUUID();
        return ledger.putIfAbsent(jobId, name, mine).equals(mine) ? name : null;
    }

    private static Optional<Claim> latestClaim(JobLedger ledger, String jobId) {
        return ledger.list(jobId, CLAIMS).keySet().stream()
                .filter(n -> n.startsWith(CLAIM_PREFIX))
                .map(n -> new Claim(CLAIMS + "/" + n, Integer.parseInt(n.substring(CLAIM_PREFIX.length()))))
                .max(java.util.Comparator.comparingInt(Claim::number));
    }

    private static Instant firstClaimTime(JobLedger ledger, String jobId) {
        long first = Long.MAX_VALUE;
        for (Map.Entry<String, String> e : ledger.list(jobId, CLAIMS).entrySet()) {
            String content = e.getValue().trim();
            int space = content.indexOf(' ');
            try {
                first = Math.min(first, Long.parseLong(space < 0 ? content : content.substring(0, space)));
            } catch (NumberFormatException ignored) {
                // a claim written by hand, or torn: the others date the search
            }
        }
        return first == Long.MAX_VALUE ? Instant.EPOCH : Instant.ofEpochMilli(first);
    }

    private static void touchQuietly(JobLedger ledger, String jobId, String claim) {
        try {
            ledger.touch(jobId, claim);
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

    private record Claim(String name, int number) {}
}

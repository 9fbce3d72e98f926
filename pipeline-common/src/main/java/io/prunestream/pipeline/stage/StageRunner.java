package io.prunestream.pipeline.stage;

import io.micrometer.core.instrument.LongTaskTimer;
import io.prunestream.core.cancel.CancellationToken;
import io.prunestream.core.model.ModelFormatException;
import io.prunestream.core.train.TrainingDivergedException;
import io.prunestream.pipeline.ArtifactException;
import io.prunestream.pipeline.ArtifactStore;
import io.prunestream.pipeline.JobEvent;
import io.prunestream.pipeline.JobMessage;
import io.prunestream.pipeline.JobResult;
import io.prunestream.pipeline.Json;
import io.prunestream.pipeline.MessageFormatException;
import io.prunestream.pipeline.StageKind;
import io.prunestream.pipeline.Topics;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs one stage for one consumed record, with the pipeline's delivery rules:
 * <ul>
 *   <li>every record is answered: one that cannot be decoded (empty, not JSON, another format version,
 *       fields of the wrong type, a bad routing slip, ...) goes to the dead-letter topic under its own
 *       key, with the reason and its source position in headers, and if a job id can be read from it
 *       (its {@code jobId}, else its key) that job also ends with an error result;</li>
 *   <li>a unit of work already done (same job, stage, attempt, round, candidate) is skipped, so a
 *       redelivered record produces nothing twice; outputs are sent (and acknowledged) before the
 *       work is marked done;</li>
 *   <li>a job that already has its result is not worked on further;</li>
 *   <li>any failure, and running past the job's stage time limit, ends the job with an error result
 *       naming the stage and the cause;</li>
 *   <li>when the service shuts down, work in progress stops at its next batch and its record is left
 *       unanswered and unacknowledged ({@link #shutdown}), so Kafka redelivers it.</li>
 * </ul>
 */
public final class StageRunner implements AutoCloseable {
    static final int MAX_CAUSE_CHARS = 4000;
    private final String service;
    private final StageHandler handler;
    private final ArtifactStore store;
    private final JobLedger ledger;
    private final DatasetCache datasets;
    private final RecordSink sink;
    private final PipelineMetrics metrics;
    private final JobCancellation cancellation;
    private final Set<Running> inFlight = ConcurrentHashMap.newKeySet();
    /** A lease (see {@link #acquireLease}) is renewed this often while its work runs... */
    static final Duration LEASE_BEAT = Duration.ofSeconds(3);
    /** ...and taken over once it has not been for this long. */
    static final Duration LEASE_STALE = Duration.ofSeconds(15);
    private final java.util.concurrent.ScheduledExecutorService heartbeats =
            Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "stage-lease-heartbeat");
                t.setDaemon(true);
                return t;
            });
    private volatile boolean shuttingDown;
    // Stage work runs on its own thread so the time limit can be enforced from this one.
    private final ExecutorService workers = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "stage-worker");
        t.setDaemon(true);
        return t;
    });

    public StageRunner(String service, StageHandler handler, ArtifactStore store, JobLedger ledger,
            DatasetCache datasets, RecordSink sink, PipelineMetrics metrics) {
        this.service = service;
        this.handler = handler;
        this.store = store;
        this.ledger = ledger;
        this.datasets = datasets;
        this.sink = sink;
        this.metrics = metrics;
        this.cancellation = new JobCancellation(service, ledger, sink, metrics);
    }

    public StageHandler handler() {
        return handler;
    }

    /** Handles a record value handed over in-process, with no Kafka key or position (tests, tools). */
    public void process(String value) {
        process(InboundRecord.inProcess(inputTopic(), null, value));
    }

    /** Handles one record from the handler's input topic; returns when all its outputs are sent. */
    public void process(InboundRecord record) {
        if (shuttingDown) {
            throw new ServiceShutdownException(service, record.position());
        }
        if (record.value() == null || record.value().isBlank()) {
            String what = record.value() == null ? "null (a tombstone)"
                    : record.value().isEmpty() ? "empty" : "blank (white space only)";
            reject(record, "the record value is " + what + "; " + inputTopic() + " takes one JSON "
                    + (handler.kind() == null ? "submission" : "JobMessage") + " per record");
            return;
        }
        JobMessage message;
        try {
            message = handler.decode(record, store);
        } catch (MessageFormatException e) {
            reject(record, e.getMessage());
            return;
        }
        String label = handler.kind() == null ? handler.name() : message.stage().toString();
        String done = "done/" + handler.name() + "/" + JobLedger.doneName(message.idempotencyKey());
        if (ledger.exists(message.jobId(), done) || ledger.exists(message.jobId(), OneResult.FINISHED)) {
            metrics.duplicate(label);
            return;
        }
        if (cancellation.cancelled(message.jobId()).isPresent()) {
            // Cancelled between stages: this record is the job's last, so what the job wrote goes now.
            metrics.duplicate(label);
            JobArtifacts.removeIntermediates(store, message, null);
            return;
        }
        metrics.received(label);
        if (handler.kind() != null && message.stage().kind() != handler.kind()) {
            fail(message, label, "misrouted: a " + handler.kind().id() + " service received a job addressed to "
                    + message.stage(), "bad-input");
            ledger.claim(message.jobId(), done);
            return;
        }
        // Rebalances hand a partition to another replica while this one may still be working on its
        // record, so the same unit of work can be delivered twice at once; the lease lets one of them
        // work and the other wait for it (then skip) or take over from a holder that died.
        NumberedClaim lease = new NumberedClaim(ledger, message.jobId(), done.replaceFirst("^done/", "running/"));
        if (!acquireLease(message.jobId(), lease, done, record)) {
            metrics.duplicate(label);
            return;
        }
        java.util.concurrent.ScheduledFuture<?> heartbeat = heartbeats.scheduleAtFixedRate(
                () -> renewQuietly(lease), LEASE_BEAT.toMillis(), LEASE_BEAT.toMillis(), TimeUnit.MILLISECONDS);
        try {
            runLeased(record, message, label, done);
        } finally {
            heartbeat.cancel(false);
            lease.release();
        }
    }

    private void runLeased(InboundRecord record, JobMessage message, String label, String done) {
        ledger.put(message.jobId(), JobCancellation.CURRENT_STAGE, label);
        event(message, label, JobEvent.Type.STARTED, label + " started", Map.of());
        long start = System.nanoTime();
        long startMillis = System.currentTimeMillis();
        Deadline deadline = new Deadline(message.spec().stageTimeoutSeconds());
        TimedArtifactStore timedStore = new TimedArtifactStore(store);
        StageContext context = new StageContext(timedStore, ledger, datasets, this::emitCounting, service, deadline);
        StageOutcome outcome = null;
        Throwable failure = null;
        LongTaskTimer.Sample timer = metrics.running(label);
        CancellationToken token = cancellation.token(message, deadline.token());
        FutureTask<StageOutcome> work = new FutureTask<>(() -> CancellationToken.callWith(token, () -> {
            // A job cancelled, or out of budget, before this stage began is not begun.
            token.check();
            return handler.handle(message, context);
        }));
        // Registered before the work starts, so that a shutdown either sees it or is seen by it.
        Running running = new Running(token, work, new CountDownLatch(1));
        inFlight.add(running);
        try {
            if (shuttingDown) {
                // Shutdown began before the registration and may not have seen it: the work is not begun.
                token.cancel(new ServiceShutdownException(service, record.position()));
                work.cancel(false);
            } else {
                workers.execute(work);
            }
            outcome = work.get(deadline.limitSeconds(), TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            deadline.cancel();
            work.cancel(true);
            failure = new Deadline.StageTimeoutException(deadline.limitSeconds());
        } catch (CancellationException e) {
            // Abandoned by shutdown(): the work did not reach a checkpoint within the grace period.
            failure = token.reason();
        } catch (ExecutionException e) {
            failure = e.getCause();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failure = e;
        } finally {
            timer.stop();
            inFlight.remove(running);
            running.finished().countDown();
        }
        if (failure instanceof ServiceShutdownException shutdown) {
            // No answer, no ledger entry: the record goes back to Kafka as if this delivery never happened.
            throw shutdown;
        }
        if (failure == null && token.reason() instanceof JobCancelledException late) {
            // Cancelled while finishing: what it made must not send the job on.
            failure = late;
        }
        long ms = (System.nanoTime() - start) / 1_000_000;
        metrics.duration(label, Duration.ofMillis(ms));
        ledger.put(message.jobId(), "durations/" + done.substring(done.lastIndexOf('/') + 1) + "-" + handler.name(),
                startMillis + " " + ms + " " + label);
        if (failure instanceof JobCancelledException cancelled) {
            // The result is JobCancellation's to publish, once; a spent budget asks it to, as a user would.
            if (cancelled.budgetSpent()) {
                cancellation.budgetSpent(message, cancelled);
            }
            JobArtifacts.removeIntermediates(store, message, null);
        } else if (failure != null) {
            fail(message, label, describe(failure), causeCategory(failure));
        } else {
            deliver(message, label, outcome, ms, timedStore.millis());
        }
        ledger.claim(message.jobId(), done);
    }

    /**
     * Takes the lease on a unit of work: true once this delivery holds it; false if another delivery
     * finished the work meanwhile. A lease not renewed for {@link #LEASE_STALE} belonged to a process
     * that died, and is taken over ({@link NumberedClaim}: of two deliveries that find it stale at once,
     * one takes it).
     */
    private boolean acquireLease(String jobId, NumberedClaim lease, String done, InboundRecord record) {
        while (true) {
            if (ledger.exists(jobId, done) || ledger.exists(jobId, OneResult.FINISHED)) {
                return false;
            }
            if (lease.tryAcquire(LEASE_STALE) != NumberedClaim.Outcome.BUSY) {
                // The holder before us may have finished the work and let go just now.
                if (ledger.exists(jobId, done) || ledger.exists(jobId, OneResult.FINISHED)) {
                    lease.release();
                    return false;
                }
                return true;
            }
            if (shuttingDown) {
                throw new ServiceShutdownException(service, record.position());
            }
            try {
                // Another process holds it: there is nothing to be notified by, so look again shortly.
                Thread.sleep(LEASE_BEAT.toMillis() / 6);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ServiceShutdownException(service, record.position());
            }
        }
    }

    private static void renewQuietly(NumberedClaim lease) {
        try {
            lease.renew();
        } catch (RuntimeException e) {
            // A missed beat only brings the lease closer to looking stale; the next one renews it.
        }
    }

    /**
     * A record no stage can work on: dead-lettered, and its job (if one can be read from it) ended with
     * an error result, so that the producer waiting for that job hears of it.
     */
    private void reject(InboundRecord record, String longCause) {
        String cause = bounded(longCause);
        String jobId = handler.jobIdOf(record).orElse(null);
        metrics.deadLetter();
        sink.send(DeadLetter.of(record, service, cause, jobId));
        if (jobId != null) {
            String label = handler.name();
            String told = service + " could not read the record on " + record.position() + ": " + cause;
            metrics.error(label, "bad-input");
            emitCounting(JobEvent.of(jobId, label, JobEvent.Type.FAILED, told, service));
            publish(JobResult.failed(jobId, label, told));
        }
    }

    private String inputTopic() {
        return handler.kind() == null ? Topics.JOBS : Topics.forStage(handler.kind());
    }

    private void deliver(JobMessage message, String label, StageOutcome outcome, long ms, long artifactMs) {
        for (JobMessage next : outcome.next()) {
            sink.send(new Outgoing(Topics.forStage(next.stage()), next.jobId(), Json.toJson(next)));
        }
        metrics.sent(label, outcome.next().size());
        if (handler.kind() == StageKind.EVALUATE && !message.stage().variantOr("").equals("final")
                && outcome.next().stream().anyMatch(n -> n.stage().kind() != StageKind.PRUNE)) {
            metrics.candidate("accepted");
        }
        Map<String, Double> values = new java.util.LinkedHashMap<>(outcome.values());
        values.put("durationMs", (double) ms);
        values.put("artifactIoMs", (double) artifactMs);
        event(message, label, JobEvent.Type.COMPLETED, label + " done in " + ms + " ms", values);
        JobResult result = outcome.result();
        if (result != null) {
            if (publish(result)) {
                JobArtifacts.removeIntermediates(store, message, result.model());
            }
            if (result.report() != null) {
                metrics.lastJob(result.report().flopsAfter(), result.report().paramsAfter(),
                        result.report().finalAccuracy());
            }
            event(message, label, JobEvent.Type.RESULT, "job " + result.status().name().toLowerCase(), values);
        }
    }

    private void fail(JobMessage message, String label, String longCause, String category) {
        String cause = bounded(longCause);
        metrics.error(label, category);
        event(message, label, JobEvent.Type.FAILED, cause, Map.of());
        if (publish(JobResult.failed(message.jobId(), label, cause))) {
            JobArtifacts.removeIntermediates(store, message, null);
        }
    }

    /** One result per job, whatever redeliveries and parallel candidates do; true if it was this one. */
    private boolean publish(JobResult result) {
        return OneResult.publish(ledger, sink, result);
    }

    private void event(JobMessage message, String label, JobEvent.Type type, String text, Map<String, Double> values) {
        emitCounting(JobEvent.of(message.jobId(), label, type, text, service).withValues(values));
    }

    private void emitCounting(JobEvent event) {
        if (event.type() == JobEvent.Type.REJECTED) {
            metrics.candidate("rejected");
        }
        sink.send(new Outgoing(Topics.EVENTS, event.jobId(), Json.toJson(event)));
    }

    /** The cause as a user reads it: our own exceptions carry complete sentences. */
    static String describe(Throwable t) {
        // A result needs a cause: an exception without a message is named by its type.
        if (t.getMessage() == null || t.getMessage().isBlank()) {
            return t.getClass().getSimpleName();
        }
        if (t instanceof StageFailure || t instanceof IllegalArgumentException || t instanceof ModelFormatException
                || t instanceof ArtifactException || t instanceof Deadline.StageTimeoutException
                || t instanceof java.io.UncheckedIOException || t instanceof TrainingDivergedException) {
            return t.getMessage();
        }
        return t.getClass().getSimpleName() + ": " + t.getMessage();
    }

    /**
     * A cause short enough to travel: a hostile record can make one enormous (a slip of thousands of
     * stages, every unknown option listed with the known ones), and a result or dead letter above the
     * broker's message size could never be sent, so its record would be redelivered for ever.
     */
    static String bounded(String cause) {
        return cause.length() <= MAX_CAUSE_CHARS ? cause
                : cause.substring(0, MAX_CAUSE_CHARS) + "... (" + cause.length() + " characters in all)";
    }

    static String causeCategory(Throwable t) {
        if (t instanceof Deadline.StageTimeoutException) {
            return "timeout";
        }
        if (t instanceof ArtifactException) {
            return "artifact";
        }
        // Neither clearly the job's fault (its learning rate) nor ours (the engine's numerics): its own.
        if (t instanceof TrainingDivergedException) {
            return "diverged";
        }
        if (t instanceof StageFailure || t instanceof IllegalArgumentException || t instanceof ModelFormatException) {
            return "bad-input";
        }
        return "internal";
    }

    /**
     * Stops taking records and asks every stage in progress to stop: each stops at its next batch, and
     * its {@link #process} call throws {@link ServiceShutdownException} without answering, so the
     * record stays uncommitted and is redelivered. Work that reaches no checkpoint within {@code grace}
     * is abandoned (its thread is a daemon and dies with the JVM); its record is handed back all the
     * same. Returns once every {@code process} call has returned or thrown, or at {@code grace}.
     */
    public void shutdown(Duration grace) {
        beginShutdown();
        awaitHandedBack(System.nanoTime() + grace.toNanos());
    }

    /** The first half of {@link #shutdown}, so that a service's runners all stop at once. */
    public void beginShutdown() {
        shuttingDown = true;
        for (Running r : inFlight) {
            r.token().cancel(new ServiceShutdownException(service, handler.name() + "'s record in progress"));
        }
    }

    /** The second half of {@link #shutdown}: waits until {@code deadlineNanos}, then abandons the rest. */
    public void awaitHandedBack(long deadlineNanos) {
        for (Running r : inFlight) {
            try {
                long left = deadlineNanos - System.nanoTime();
                if (left <= 0 || !r.finished().await(left, TimeUnit.NANOSECONDS)) {
                    r.work().cancel(true);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                r.work().cancel(true);
            }
        }
    }

    @Override
    public void close() {
        workers.shutdownNow();
        heartbeats.shutdownNow();
    }

    /** A stage in progress: what stops it, its work, and when its {@code process} call is over. */
    private record Running(CancellationToken token, Future<StageOutcome> work, CountDownLatch finished) {}
}

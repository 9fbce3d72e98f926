package io.prunestream.pipeline.stage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prunestream.core.cancel.CancellationToken;
import io.prunestream.pipeline.ControlMessage;
import io.prunestream.pipeline.DirectoryArtifactStore;
import io.prunestream.pipeline.JobMessage;
import io.prunestream.pipeline.JobResult;
import io.prunestream.pipeline.Json;
import io.prunestream.pipeline.Topics;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A cancel (or a spent budget) stops the job's work wherever it is and ends the job with exactly one
 * CANCELLED result. The runner and the canceller share only the ledger, as two processes would.
 */
class JobCancellationTest {

    @TempDir
    Path work;

    private final List<Outgoing> sent = new CopyOnWriteArrayList<>();
    private JobLedger ledger;
    private JobCancellation control;

    @BeforeEach
    void setUp() {
        ledger = new JobLedger(work.resolve("ledger"));
        control = new JobCancellation("control-test", new JobLedger(work.resolve("ledger")), sent::add,
                PipelineMetrics.inMemory());
    }

    @Test
    void aCancelStopsABusyStageAtABatchAndTheJobEndsWithOneCancelledResult() throws Exception {
        JobMessage job = JobMessage.start("job-1", TestJobs.spec().build());
        CountDownLatch busy = new CountDownLatch(1);
        AtomicInteger batches = new AtomicInteger();
        try (StageRunner runner = runner((message, context) -> {
            while (true) {
                CancellationToken.checkpoint();
                batches.incrementAndGet();
                busy.countDown();
                sleep(5);
            }
        })) {
            CompletableFuture<Void> delivery = CompletableFuture.runAsync(() -> runner.process(Json.toJson(job)));
            assertTrue(busy.await(30, TimeUnit.SECONDS));

            control.process(InboundRecord.inProcess(Topics.CONTROL, job.jobId(),
                    Json.toJson(ControlMessage.cancel(job.jobId(), "cancelled by alice"))));

            // The stage returns normally: the record is answered (by the canceller) and may be committed.
            delivery.get(10, TimeUnit.SECONDS);
            int stoppedAt = batches.get();
            JobResult result = onlyResult();
            assertEquals(JobResult.Status.CANCELLED, result.status());
            assertEquals("cancelled by alice", result.cause());
            assertEquals("score:l1", result.failedStage(), "the result names the stage the job was in");
            assertTrue(sent.stream().noneMatch(o -> o.topic().equals(Topics.PRUNE)), "a cancelled job goes nowhere");

            // Redelivered, or sent on by a stage elsewhere: skipped, nothing more is said.
            runner.process(Json.toJson(job));
            runner.process(Json.toJson(job.advance()));
            control.process(InboundRecord.inProcess(Topics.CONTROL, job.jobId(),
                    Json.toJson(ControlMessage.cancel(job.jobId(), "twice"))));
            assertEquals(stoppedAt, batches.get());
            onlyResult();
        }
    }

    @Test
    void aJobCancelledWhileQueuedIsNeverStarted() {
        JobMessage job = JobMessage.start("job-2", TestJobs.spec().build());
        control.cancel(job.jobId(), "changed my mind");
        assertEquals(0, startsOfAQuickStage(job), "the stage must not begin");
        assertEquals(JobResult.Status.CANCELLED, onlyResult().status());
    }

    @Test
    void aSpentBudgetEndsTheJobThroughTheControlTopicWithTheBudgetAsCause() {
        JobMessage job = JobMessage.start("job-3", TestJobs.spec().budgetSeconds(5).build());
        // The pipeline took the job up 10 s ago, so its 5 s are spent when this stage begins.
        ledger.put(job.jobId(), JobCancellation.ADMITTED, Long.toString(System.currentTimeMillis() - 10_000));
        assertEquals(0, startsOfAQuickStage(job), "the stage must not begin");
        List<Outgoing> cancels = sent.stream().filter(o -> o.topic().equals(Topics.CONTROL)).toList();
        assertEquals(1, cancels.size(), sent.toString());
        assertEquals(job.jobId(), cancels.get(0).key());
        assertTrue(sent.stream().noneMatch(o -> o.topic().equals(Topics.RESULTS)), "the result is the canceller's");

        control.process(InboundRecord.inProcess(Topics.CONTROL, cancels.get(0).key(), cancels.get(0).value()));
        JobResult result = onlyResult();
        assertEquals(JobResult.Status.CANCELLED, result.status());
        assertTrue(result.cause().contains("budget of 5 s (budgetSeconds) ran out in score:l1"), result.cause());
    }

    @Test
    void aBudgetStopsABusyStageAtABatch() throws Exception {
        JobMessage job = JobMessage.start("job-4", TestJobs.spec().budgetSeconds(1).build());
        try (StageRunner runner = runner((message, context) -> {
            while (true) {
                CancellationToken.checkpoint();
                sleep(5);
            }
        })) {
            CompletableFuture.runAsync(() -> runner.process(Json.toJson(job))).get(30, TimeUnit.SECONDS);
        }
        assertTrue(sent.stream().anyMatch(o -> o.topic().equals(Topics.CONTROL)), sent.toString());
    }

    @Test
    void aCancelOfAJobThatHasEndedChangesNothing() {
        OneResult.publish(ledger, sent::add, JobResult.failed("job-5", "score:l1", "it broke"));
        control.cancel("job-5", "too late");
        assertEquals(JobResult.Status.FAILED, onlyResult().status());
        assertFalse(ledger.exists("job-5", JobCancellation.MARKER));
    }

    @Test
    void anUnreadableControlRecordIsDeadLetteredUnderItsKey() {
        control.process(new InboundRecord("job-6", "{\"formatVersion\":1,\"jobId\":\"job-6\",\"action\":\"EXPLODE\"}",
                Topics.CONTROL, 2, 9));
        Outgoing dead = sent.stream().filter(o -> o.topic().equals(Topics.DEAD_LETTER)).findFirst().orElseThrow();
        assertEquals("job-6", dead.key());
        assertEquals(Topics.CONTROL, dead.headers().get("topic"));
        assertFalse(ledger.exists("job-6", JobCancellation.MARKER));
    }

    /** Delivers the job to a stage that would send it on at once; returns how often that stage began. */
    private int startsOfAQuickStage(JobMessage job) {
        AtomicInteger started = new AtomicInteger();
        try (StageRunner runner = runner((message, context) -> {
            started.incrementAndGet();
            return StageOutcome.forward(message.advance(), Map.of());
        })) {
            runner.process(Json.toJson(job));
        }
        return started.get();
    }

    private JobResult onlyResult() {
        List<Outgoing> results = sent.stream().filter(o -> o.topic().equals(Topics.RESULTS)).toList();
        assertEquals(1, results.size(), () -> "results: " + results);
        return Json.fromJson(results.get(0).value(), JobResult.class);
    }

    private StageRunner runner(BiFunction<JobMessage, StageContext, StageOutcome> stage) {
        return new StageRunner("test-service", new ScoreHandler(stage), new DirectoryArtifactStore(work.resolve("a")),
                ledger, new DatasetCache(), sent::add, PipelineMetrics.inMemory());
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

package io.prunestream.pipeline.stage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prunestream.core.cancel.CancellationToken;
import io.prunestream.pipeline.DirectoryArtifactStore;
import io.prunestream.pipeline.JobMessage;
import io.prunestream.pipeline.Json;
import io.prunestream.pipeline.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Graceful shutdown: a stage in progress stops at its next batch, its record is neither answered nor
 * marked done, so the redelivered record is worked on as if the first delivery never happened.
 */
class StageRunnerShutdownTest {
    private static final JobMessage JOB = JobMessage.start("job-1", TestJobs.spec().build());

    @TempDir
    Path work;

    private final List<Outgoing> sent = new CopyOnWriteArrayList<>();

    @Test
    void aBusyStageStopsAtItsNextBatchAndItsRecordIsWorkedOnAgainWhenRedelivered() throws Exception {
        CountDownLatch busy = new CountDownLatch(1);
        JobLedger ledger = new JobLedger(work.resolve("ledger"));
        try (StageRunner first = runner(ledger, (message, context) -> {
            // A stage that would run for hours, checking in once per batch like pruning-core's loops.
            for (int batch = 0; batch < 1_000_000; batch++) {
                busy.countDown();
                CancellationToken.checkpoint();
                sleep(5);
            }
            return StageOutcome.waiting(Map.of());
        })) {
            CompletableFuture<Void> delivery = CompletableFuture.runAsync(() -> first.process(
                    new InboundRecord(JOB.jobId(), Json.toJson(JOB), Topics.SCORE, 0, 7)));
            assertTrue(busy.await(30, TimeUnit.SECONDS), "the stage never started");

            first.shutdown(Duration.ofSeconds(5));

            ExecutionException thrown = assertThrows(ExecutionException.class, () -> delivery.get(5, TimeUnit.SECONDS));
            assertInstanceOf(ServiceShutdownException.class, thrown.getCause(), thrown.toString());
            assertTrue(thrown.getCause().getMessage().contains("left unacknowledged"), thrown.getCause().getMessage());
            assertTrue(sent.stream().noneMatch(o -> o.topic().equals(Topics.RESULTS)), "no result for a handed-back record: " + sent);
            assertTrue(sent.stream().noneMatch(o -> o.topic().equals(Topics.PRUNE)), sent.toString());
            assertThrows(ServiceShutdownException.class, () -> first.process(Json.toJson(JOB)),
                    "a runner that is shutting down takes no new record");
        }

        // The replica that gets the record next does the work in full.
        try (StageRunner second = runner(ledger, (message, context) -> StageOutcome.forward(message.advance(), Map.of()))) {
            second.process(new InboundRecord(JOB.jobId(), Json.toJson(JOB), Topics.SCORE, 0, 7));
        }
        assertEquals(1, sent.stream().filter(o -> o.topic().equals(Topics.PRUNE)).count(), sent.toString());
    }

    @Test
    void workThatReachesNoCheckpointIsAbandonedAfterTheGraceAndItsRecordHandedBackAllTheSame() throws Exception {
        CountDownLatch busy = new CountDownLatch(1);
        CountDownLatch never = new CountDownLatch(1);
        try (StageRunner runner = runner(new JobLedger(work.resolve("ledger")), (message, context) -> {
            busy.countDown();
            // A native call that cannot be interrupted, as far as the runner can tell.
            while (never.getCount() > 0) {
                try {
                    never.await();
                } catch (InterruptedException ignored) {
                    // keeps going, as a native call would
                }
            }
            return StageOutcome.waiting(Map.of());
        })) {
            CompletableFuture<Void> delivery = CompletableFuture.runAsync(() -> runner.process(Json.toJson(JOB)));
            assertTrue(busy.await(30, TimeUnit.SECONDS), "the stage never started");
            runner.shutdown(Duration.ofMillis(200));
            ExecutionException thrown = assertThrows(ExecutionException.class, () -> delivery.get(5, TimeUnit.SECONDS));
            assertInstanceOf(ServiceShutdownException.class, thrown.getCause(), thrown.toString());
            assertTrue(sent.stream().noneMatch(o -> o.topic().equals(Topics.RESULTS)), sent.toString());
            never.countDown();
        }
    }

    private StageRunner runner(JobLedger ledger, BiFunction<JobMessage, StageContext, StageOutcome> stage) {
        return new StageRunner("test-service", new ScoreHandler(stage), new DirectoryArtifactStore(work.resolve("a")), ledger,
                new DatasetCache(), sent::add, PipelineMetrics.inMemory());
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

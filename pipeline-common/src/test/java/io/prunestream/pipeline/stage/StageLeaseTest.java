package io.prunestream.pipeline.stage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prunestream.pipeline.DirectoryArtifactStore;
import io.prunestream.pipeline.JobMessage;
import io.prunestream.pipeline.Json;
import io.prunestream.pipeline.Topics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * After a rebalance two replicas can hold the same record at once: one works, the other waits and
 * then skips it, so the job's next message (or result) is sent once. A lease left by a dead replica is
 * taken over.
 */
class StageLeaseTest {
    private static final JobMessage JOB = JobMessage.start("job-1", TestJobs.spec().build());

    @TempDir
    Path work;

    private final List<Outgoing> sent = new CopyOnWriteArrayList<>();

    @Test
    void theSameRecordDeliveredToTwoReplicasAtOnceIsWorkedOnOnce() throws Exception {
        CountDownLatch working = new CountDownLatch(1);
        CountDownLatch finish = new CountDownLatch(1);
        AtomicInteger runs = new AtomicInteger();
        ScoreHandler slow = new ScoreHandler((message, context) -> {
            runs.incrementAndGet();
            working.countDown();
            await(finish);
            return StageOutcome.forward(message.advance(), Map.of());
        });
        try (StageRunner first = runner(slow); StageRunner second = runner(slow)) {
            CompletableFuture<Void> a = CompletableFuture.runAsync(() -> first.process(Json.toJson(JOB)));
            assertTrue(working.await(30, TimeUnit.SECONDS));
            CompletableFuture<Void> b = CompletableFuture.runAsync(() -> second.process(Json.toJson(JOB)));
            assertFalse(b.isDone(), "the second delivery waits while the first holds the lease");
            finish.countDown();
            a.get(30, TimeUnit.SECONDS);
            b.get(30, TimeUnit.SECONDS);
        }
        assertEquals(1, runs.get());
        assertEquals(1, sent.stream().filter(o -> o.topic().equals(Topics.PRUNE)).count(), sent.toString());
    }

    @Test
    void aLeaseLeftByADeadReplicaIsTakenOver() throws Exception {
        JobLedger ledger = new JobLedger(work.resolve("ledger"));
        try (StageRunner runner = runner(new ScoreHandler((m, c) -> StageOutcome.forward(m.advance(), Map.of())))) {
            // What a replica killed mid-stage leaves: its lease, no longer renewed.
            String lease = "running/" + new ScoreHandler(null).name() + "/"
                    + JobLedger.doneName(JOB.idempotencyKey()) + "/claim-0";
            ledger.claim(JOB.jobId(), lease);
            try (Stream<Path> files = Files.walk(work.resolve("ledger"))) {
                for (Path f : files.filter(Files::isRegularFile).toList()) {
                    Files.setLastModifiedTime(f, FileTime.fromMillis(System.currentTimeMillis() - 60_000));
                }
            }
            CompletableFuture.runAsync(() -> runner.process(Json.toJson(JOB))).get(30, TimeUnit.SECONDS);
        }
        assertEquals(1, sent.stream().filter(o -> o.topic().equals(Topics.PRUNE)).count(), sent.toString());
    }

    private StageRunner runner(StageHandler handler) {
        return new StageRunner("test-service", handler, new DirectoryArtifactStore(work.resolve("a")),
                new JobLedger(work.resolve("ledger")), new DatasetCache(), sent::add, PipelineMetrics.inMemory());
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

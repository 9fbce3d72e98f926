package io.prunestream.pipeline.stage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.LongTaskTimer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.prunestream.pipeline.ArtifactRef;
import io.prunestream.pipeline.DirectoryArtifactStore;
import io.prunestream.pipeline.JobMessage;
import io.prunestream.pipeline.JobSpec;
import io.prunestream.pipeline.Json;
import io.prunestream.core.allocation.TargetKind;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The runner's metric of stages in progress, which alerts on jobs stuck in a stage read. */
class StageRunnerMetricsTest {
    @TempDir
    Path work;

    @Test
    void aStageIsCountedAsRunningOnlyWhileItsHandlerWorks() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        StageHandler blocking = new ScoreHandler((message, context) -> {
            entered.countDown();
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return StageOutcome.waiting(Map.of());
        });
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        List<Outgoing> sent = new ArrayList<>();
        JobSpec spec = JobSpec.builder().model(new ArtifactRef("uploads/m.zip", 1, "a".repeat(64)))
                .targetKind(TargetKind.FLOPS).targetFraction(0.5).criterion("l1").allocation("uniform")
                .stageTimeoutSeconds(60).build();
        JobMessage message = JobMessage.start("job-1", spec);
        try (StageRunner runner = new StageRunner("test", blocking, new DirectoryArtifactStore(work.resolve("a")),
                new JobLedger(work.resolve("l")), new DatasetCache(), sent::add, new PipelineMetrics(registry))) {
            CompletableFuture<Void> processing = CompletableFuture.runAsync(() -> runner.process(Json.toJson(message)));
            assertTrue(entered.await(30, TimeUnit.SECONDS), "handler never started");
            LongTaskTimer running = registry.get("prunestream.stage.running").tag("stage", message.stage().toString())
                    .longTaskTimer();
            assertEquals(1, running.activeTasks());
            release.countDown();
            processing.get(30, TimeUnit.SECONDS);
            assertEquals(0, running.activeTasks());
        }
    }
}

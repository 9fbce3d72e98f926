package io.prunestream.pipeline.stage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.prunestream.core.testing.SyntheticIdx;
import io.prunestream.core.zoo.ModelZoo;
import io.prunestream.pipeline.ArtifactRef;
import io.prunestream.pipeline.ArtifactRoles;
import io.prunestream.pipeline.DirectoryArtifactStore;
import io.prunestream.pipeline.JobMessage;
import io.prunestream.pipeline.JobResult;
import io.prunestream.pipeline.JobSpec;
import io.prunestream.pipeline.Json;
import io.prunestream.core.allocation.TargetKind;
import io.prunestream.pipeline.Topics;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Fine-tuning that diverges ends the job at once, the divergence worded as the error result's cause. */
class FinetuneDivergenceTest {
    @TempDir
    Path work;

    @Test
    void divergedFineTuningIsTheJobsErrorResult() {
        DirectoryArtifactStore store = new DirectoryArtifactStore(work.resolve("store"));
        ArtifactRef candidate = store.putModel("job-1/candidate", ModelZoo.create("lenet", 1));
        // No real data needed: random images and a learning rate no model survives.
        Path data = SyntheticIdx.fashionShaped(work.resolve("data"), 400, 1);
        JobSpec spec = JobSpec.builder().model(candidate).targetKind(TargetKind.FLOPS).targetFraction(0.5)
                .criterion("l1").allocation("uniform").routingSlip("finetune -> evaluate:final").finetuneEpochs(3)
                .learningRate(1e30).datasetDir(data.toString()).seed(7).stageTimeoutSeconds(300).build();
        JobMessage message = JobMessage.start("job-1", spec).withArtifact(ArtifactRoles.CANDIDATE, candidate);
        List<Outgoing> sent = new ArrayList<>();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();

        try (StageRunner runner = new StageRunner("finetune", new FinetuneStage(), store,
                new JobLedger(work.resolve("ledger")), new DatasetCache(), sent::add, new PipelineMetrics(registry))) {
            runner.process(Json.toJson(message));
        }

        List<JobResult> results = sent.stream().filter(o -> o.topic().equals(Topics.RESULTS))
                .map(o -> Json.fromJson(o.value(), JobResult.class)).toList();
        assertEquals(1, results.size(), sent.toString());
        JobResult result = results.get(0);
        assertEquals(JobResult.Status.FAILED, result.status());
        assertEquals("finetune", result.failedStage());
        assertTrue(result.cause().startsWith("training diverged at step "), result.cause());
        assertTrue(result.cause().contains("learning rate too high"), result.cause());
        assertFalse(result.cause().contains("Exception") || result.cause().contains("\tat "), result.cause());
        assertTrue(sent.stream().noneMatch(o -> o.topic().equals(Topics.EVALUATE)), "nothing goes on to evaluate");
        assertEquals(1, registry.get("prunestream.errors").tag("cause", "diverged").counter().count());
    }
}

package io.prunestream.pipeline.stage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prunestream.pipeline.ArtifactRef;
import io.prunestream.pipeline.DirectoryArtifactStore;
import io.prunestream.pipeline.JobEvent;
import io.prunestream.pipeline.JobIds;
import io.prunestream.pipeline.JobMessage;
import io.prunestream.pipeline.JobResult;
import io.prunestream.pipeline.JobSpec;
import io.prunestream.pipeline.MethodOptions;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each search strategy's default slip through the real stages, in one process (no Kafka). */
class SearchStrategiesPipelineTest {
    @TempDir
    static Path dir;
    static DirectoryArtifactStore store;
    static ArtifactRef baseline;

    @BeforeAll
    static void trainBaseline() throws Exception {
        store = new DirectoryArtifactStore(dir.resolve("store"));
        baseline = store.putModel("baseline", PipelineFixture.trainedBaseline("vgg-small"));
    }

    static JobSpec.Builder job(String allocation) {
        return PipelineFixture.job(baseline).allocation(allocation).finetuneEpochs(0).trainImages(400).heldOutImages(100)
                .testImages(100).calibrationBatches(2);
    }

    static JobResult run(String ledger, JobSpec spec, List<JobEvent> events) {
        try (InProcessPipeline pipeline = PipelineFixture.pipeline(store, dir.resolve(ledger))) {
            String id = JobIds.newId();
            JobResult result = pipeline.run(JobMessage.start(id, spec));
            events.addAll(pipeline.events(id));
            assertEquals(JobResult.Status.SUCCEEDED, result.status(), () -> "cause: " + result.cause());
            assertTrue(result.report().achievedFraction() <= 0.5, "" + result.report().achievedFraction());
            PipelineFixture.assertAligned(store, baseline, result, spec.roundTo());
            return result;
        }
    }

    @Test
    void eagleEyeJudgesEveryRandomCandidateAndKeepsTheBest() {
        List<JobEvent> events = new java.util.ArrayList<>();
        JobResult result = run("eagleeye", job("eagleeye").candidates(3).build(), events);
        assertEquals(3, result.report().candidatesEvaluated());
        assertTrue(result.report().achievedFraction() >= 0.48, "" + result.report().achievedFraction());
        assertTrue(result.report().stageDurationsMs().containsKey("prune:eagleeye"));
    }

    @Test
    void dsaLearnsRatiosInTheFinetuneServiceAndThePrunerMeetsTheBudget() {
        List<JobEvent> events = new java.util.ArrayList<>();
        // A round-to other than the default shows the job's value, not the constant, reaches the projection.
        JobResult result = run("dsa", job("dsa").option(MethodOptions.DSA_STEPS, 4).option(MethodOptions.DSA_BATCH_SIZE, 32)
                .roundTo(16).build(), events);
        assertTrue(result.report().stageDurationsMs().keySet().containsAll(List.of("finetune:dsa", "prune:dsa")),
                result.report().stageDurationsMs().toString());
        assertTrue(events.stream().anyMatch(e -> e.stage().equals("finetune:dsa") && e.message().startsWith("dsa step")));
    }

    @Test
    void aofpIsAConversationBetweenPrunerAndEvaluatorThatEndsWithinItsRoundTrips() {
        List<JobEvent> events = new java.util.ArrayList<>();
        JobResult result = run("aofp", job("aofp").option(MethodOptions.AOFP_MAX_ROUND_TRIPS, 3)
                .option(MethodOptions.AOFP_SAMPLE_IMAGES, 32).build(), events);
        long trips = events.stream().filter(e -> e.type() == JobEvent.Type.PROGRESS
                && e.message().startsWith("aofp round trip") && e.stage().equals("evaluate:aofp")).count();
        assertEquals(3, trips, "three judged round trips");
        assertTrue(events.stream().anyMatch(e -> e.message().startsWith("aofp search done")));
        assertEquals(1, result.report().candidatesEvaluated(), "one finished candidate");
    }
}

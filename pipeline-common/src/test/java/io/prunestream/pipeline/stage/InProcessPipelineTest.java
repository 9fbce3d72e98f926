package io.prunestream.pipeline.stage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prunestream.core.cost.CostModel;
import io.prunestream.core.model.ModelPackage;
import io.prunestream.pipeline.AcceptanceRule;
import io.prunestream.pipeline.ArtifactRef;
import io.prunestream.pipeline.DirectoryArtifactStore;
import io.prunestream.pipeline.JobEvent;
import io.prunestream.pipeline.JobIds;
import io.prunestream.pipeline.JobMessage;
import io.prunestream.pipeline.JobReport;
import io.prunestream.pipeline.JobResult;
import io.prunestream.pipeline.JobSpec;
import io.prunestream.pipeline.Topics;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The stages wired as the services wire them, with an in-memory queue instead of Kafka. */
class InProcessPipelineTest {
    @TempDir
    static Path dir;
    static DirectoryArtifactStore store;
    static ArtifactRef baseline;

    @BeforeAll
    static void trainBaseline() throws Exception {
        store = new DirectoryArtifactStore(dir.resolve("store"));
        ModelPackage model = PipelineFixture.trainedBaseline("vgg-small");
        baseline = store.putModel("baseline", model);
    }

    @Test
    void jobMeetsItsFlopsTargetAndReportsPlausibleAccuracies() {
        try (InProcessPipeline pipeline = PipelineFixture.pipeline(store, dir.resolve("ledger1"))) {
            String id = JobIds.newId();
            JobSpec spec = PipelineFixture.job(baseline).candidates(2).build();
            JobResult result = pipeline.run(JobMessage.start(id, spec));
            assertNotNull(result, "the job must end with a result");
            assertEquals(JobResult.Status.SUCCEEDED, result.status(), () -> "cause: " + result.cause());
            JobReport report = result.report();
            assertTrue(report.achievedFraction() <= 0.5 && report.achievedFraction() > 0.45, "" + report.achievedFraction());
            assertTrue(report.baselineAccuracy() > 0.4, "trained baseline beats chance: " + report.baselineAccuracy());
            assertTrue(report.finalAccuracy() > 0.2 && report.finalAccuracy() <= 1.0, "" + report.finalAccuracy());
            assertEquals(2, report.candidatesEvaluated());
            assertTrue(report.criterionGrades().isEmpty(), "no grading unless asked");
            assertTrue(report.stageDurationsMs().keySet().containsAll(
                    List.of("score:l1", "prune:uniform", "evaluate:adaptive-bn", "finetune", "evaluate:final")),
                    report.stageDurationsMs().toString());
            ModelPackage delivered = store.loadModel(result.model());
            assertEquals(report.flopsAfter(), CostModel.of(delivered.spec()).macs());
            PipelineFixture.assertAligned(store, baseline, result, spec.roundTo());
            assertEquals(List.of(result.model().path()), store.list(id),
                    "the rejected candidate, the recalibrated copies and the scores go once the job has its result");
            List<JobEvent> events = pipeline.events(id);
            assertTrue(events.stream().anyMatch(e -> e.stage().equals("finetune") && e.type() == JobEvent.Type.PROGRESS));
        }
    }

    @Test
    void jobAskingForGradingReportsEachCriterionsAgreementWithTheOracle() {
        try (InProcessPipeline pipeline = PipelineFixture.pipeline(store, dir.resolve("ledger6"))) {
            JobResult result = pipeline.run(JobMessage.start(JobIds.newId(),
                    PipelineFixture.job(baseline).grading(true).finetuneEpochs(0).build()));
            assertEquals(JobResult.Status.SUCCEEDED, result.status(), () -> "cause: " + result.cause());
            java.util.Map<String, Double> grades = result.report().criterionGrades();
            assertTrue(grades.keySet().containsAll(List.of("l1", "fpgm", "taylor", "apoz")), grades.toString());
            assertTrue(grades.values().stream().allMatch(v -> v >= -1 && v <= 1), grades.toString());
            assertTrue(!grades.containsKey("oracle"), "the oracle is the reference, not graded");
        }
    }

    @Test
    void cumulativeAdaptiveBnVariantRunsThroughTheSlip() {
        try (InProcessPipeline pipeline = PipelineFixture.pipeline(store, dir.resolve("ledger7"))) {
            JobResult result = pipeline.run(JobMessage.start(JobIds.newId(), PipelineFixture.job(baseline)
                    .routingSlip("score:l1 -> prune:uniform -> evaluate:adaptive-bn-cumulative -> evaluate:final")
                    .build()));
            assertEquals(JobResult.Status.SUCCEEDED, result.status(), () -> "cause: " + result.cause());
            assertTrue(result.report().stageDurationsMs().containsKey("evaluate:adaptive-bn-cumulative"));
        }
    }

    @Test
    void rejectedRoundLoopsBackToThePrunerAndTheJobStillFinishes() {
        try (InProcessPipeline pipeline = PipelineFixture.pipeline(store, dir.resolve("ledger2"))) {
            String id = JobIds.newId();
            // Removing 85% of the FLOPs without fine-tuning cannot keep the baseline's accuracy exactly.
            JobResult result = pipeline.run(JobMessage.start(id, PipelineFixture.job(baseline).targetFraction(0.15)
                    .acceptance(AcceptanceRule.tolerance(0.0)).maxRounds(2).finetuneEpochs(0).build()));
            assertEquals(JobResult.Status.SUCCEEDED, result.status(), () -> "cause: " + result.cause());
            List<JobEvent> events = pipeline.events(id);
            assertTrue(events.stream().anyMatch(e -> e.type() == JobEvent.Type.LOOPED_BACK), "a loop-back event");
            assertTrue(events.stream().anyMatch(e -> e.type() == JobEvent.Type.REJECTED), "a rejection event");
            assertEquals(2, result.report().rounds());
            assertEquals(2, pipeline.sent(Topics.PRUNE).size(), "the pruner ran once per round");
        }
    }

    @Test
    void badRecordAndBadJobFailCleanlyWhileAGoodJobCompletes() {
        try (InProcessPipeline pipeline = PipelineFixture.pipeline(store, dir.resolve("ledger3"))) {
            pipeline.deliver(Topics.SCORE, "{not json");
            assertEquals(1, pipeline.sent(Topics.DEAD_LETTER).size());
            assertTrue(pipeline.sent(Topics.DEAD_LETTER).get(0).headers().get("error").length() > 0);

            String bad = JobIds.newId();
            JobResult failed = pipeline.run(JobMessage.start(bad, PipelineFixture.job(baseline).criterion("magic").build()));
            assertEquals(JobResult.Status.FAILED, failed.status());
            assertEquals(JobIntake.NAME, failed.failedStage());
            assertTrue(failed.cause().contains("magic"), failed.cause());

            String corrupt = JobIds.newId();
            ArtifactRef wrongSum = new ArtifactRef(baseline.path(), baseline.size(), "0".repeat(64));
            JobResult corrupted = pipeline.run(JobMessage.start(corrupt, PipelineFixture.job(wrongSum).build()));
            assertEquals(JobResult.Status.FAILED, corrupted.status());
            assertTrue(corrupted.cause().toLowerCase().contains("checksum"), corrupted.cause());

            String impossible = JobIds.newId();
            JobResult tooSmall = pipeline.run(JobMessage.start(impossible,
                    PipelineFixture.job(baseline).targetFraction(0.001).minChannels(8).build()));
            assertEquals(JobResult.Status.FAILED, tooSmall.status());
            assertTrue(tooSmall.failedStage().startsWith("prune"), tooSmall.failedStage());
            assertTrue(tooSmall.cause().contains("impossible target"), tooSmall.cause());

            String good = JobIds.newId();
            JobResult ok = pipeline.run(JobMessage.start(good, PipelineFixture.job(baseline).finetuneEpochs(0).build()));
            assertEquals(JobResult.Status.SUCCEEDED, ok.status(), () -> "cause: " + ok.cause());
        }
    }

    @Test
    void redeliveredStageMessageYieldsNothingTwice() {
        try (InProcessPipeline pipeline = PipelineFixture.pipeline(store, dir.resolve("ledger4"))) {
            String id = JobIds.newId();
            pipeline.run(JobMessage.start(id, PipelineFixture.job(baseline).finetuneEpochs(0).build()));
            int finetuneMessages = pipeline.sent(Topics.FINETUNE).size();
            String evaluateRecord = pipeline.sent(Topics.EVALUATE).get(0).value();
            pipeline.deliver(Topics.EVALUATE, evaluateRecord);
            pipeline.deliver(Topics.EVALUATE, evaluateRecord);
            assertEquals(finetuneMessages, pipeline.sent(Topics.FINETUNE).size(), "no duplicate downstream message");
            assertEquals(1, pipeline.results().stream().filter(r -> r.jobId().equals(id)).count(), "exactly one result");
        }
    }

    @Test
    void stageOverItsTimeLimitEndsTheJobWithAnError() {
        try (InProcessPipeline pipeline = PipelineFixture.pipeline(store, dir.resolve("ledger5"))) {
            String id = JobIds.newId();
            JobResult result = pipeline.run(JobMessage.start(id, PipelineFixture.job(baseline).finetuneEpochs(50)
                    .stageTimeoutSeconds(2).build()));
            assertEquals(JobResult.Status.FAILED, result.status());
            assertTrue(result.cause().contains("time limit"), result.cause());
            assertEquals(List.of(), store.list(id), "a failed job keeps nothing of its own; the submitted model stays");
            store.fetch(baseline);
        }
    }
}

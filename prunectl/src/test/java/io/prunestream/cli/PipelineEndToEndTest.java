package io.prunestream.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prunestream.pipeline.AcceptanceRule;
import io.prunestream.pipeline.ArtifactRef;
import io.prunestream.pipeline.JobEvent;
import io.prunestream.pipeline.JobIds;
import io.prunestream.pipeline.JobMessage;
import io.prunestream.pipeline.JobResult;
import io.prunestream.pipeline.JobSpec;
import io.prunestream.pipeline.Json;
import io.prunestream.core.allocation.TargetKind;
import io.prunestream.pipeline.Topics;
import io.prunestream.testkit.TopicClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.Test;

/**
 * The pipeline as users run it: a real KRaft broker in this JVM and the four Quarkus services as
 * separate processes (the jars `./mvnw verify` built before this module), driven through Kafka only.
 */
@ExtendWith(EndToEndPipeline.class)
class PipelineEndToEndTest {
    static final Duration JOB_TIMEOUT = Duration.ofMinutes(8);
    static PipelineClient client;
    static ArtifactRef baseline;

    @BeforeAll
    static synchronized void trainBaseline() throws Exception {
        client = EndToEndPipeline.client();
        // Other end-to-end classes start from the same baseline: trained once per JVM.
        if (baseline == null) {
            baseline = EndToEndPipeline.trainedVggSmall("e2e-baseline", 3, 1200, 2, 64);
        }
    }

    static JobSpec.Builder smallJob() {
        return JobSpec.builder().model(baseline).targetKind(TargetKind.FLOPS).targetFraction(0.5).criterion("l1")
                .allocation("uniform").candidates(1).acceptance(AcceptanceRule.bestOfN()).maxRounds(2).finetuneEpochs(1)
                .learningRate(0.01).trainImages(600).heldOutImages(200).testImages(200).calibrationBatches(3).seed(3)
                .stageTimeoutSeconds(600);
    }

    static JobResult submitAndWait(JobMessage job, List<JobEvent> events) {
        client.submit(job);
        return client.watch(job.jobId(), JOB_TIMEOUT, events::add);
    }

    @Test
    void smallJobMeetsItsFlopsTargetWithPlausibleAccuracies() {
        List<JobEvent> events = new ArrayList<>();
        JobResult result = submitAndWait(JobMessage.start(JobIds.newId(), smallJob().build()), events);
        assertEquals(JobResult.Status.SUCCEEDED, result.status(), () -> "cause: " + result.cause());
        double achieved = result.report().achievedFraction();
        assertTrue(achieved <= 0.5 && achieved >= 0.45, "achieved FLOPs fraction " + achieved);
        assertTrue(result.report().baselineAccuracy() > 0.3 && result.report().baselineAccuracy() <= 1,
                "baseline " + result.report().baselineAccuracy());
        assertTrue(result.report().finalAccuracy() > 0.1 && result.report().finalAccuracy() <= 1,
                "final " + result.report().finalAccuracy());
        assertTrue(events.stream().anyMatch(e -> e.stage().equals("finetune") && e.type() == JobEvent.Type.PROGRESS));
    }

    @Test
    void rejectionLoopsBackThroughKafkaAndTheJobStillFinishes() {
        List<JobEvent> events = new ArrayList<>();
        JobSpec spec = smallJob().targetFraction(0.15).acceptance(AcceptanceRule.tolerance(0.0)).maxRounds(2)
                .finetuneEpochs(0).build();
        JobResult result = submitAndWait(JobMessage.start(JobIds.newId(), spec), events);
        assertEquals(JobResult.Status.SUCCEEDED, result.status(), () -> "cause: " + result.cause());
        assertTrue(events.stream().anyMatch(e -> e.type() == JobEvent.Type.LOOPED_BACK), "loop-back on prune.events");
        assertEquals(2, result.report().rounds());
    }

    @Test
    void malformedRecordAndInvalidJobFailCleanlyBesideAGoodJob() {
        try (TopicClient topics = new TopicClient(EndToEndPipeline.bootstrap())) {
            String marker = "not json " + JobIds.newId();
            topics.send(Topics.SCORE, "junk", marker);
            JobMessage invalid = JobMessage.start(JobIds.newId(), smallJob().criterion("magic").build());
            JobMessage good = JobMessage.start(JobIds.newId(), smallJob().finetuneEpochs(0).build());
            client.submit(invalid);
            client.submit(good);
            topics.await(Topics.DEAD_LETTER, r -> r.value().equals(marker), 1, JOB_TIMEOUT);
            JobResult failed = client.watch(invalid.jobId(), JOB_TIMEOUT, e -> { });
            assertEquals(JobResult.Status.FAILED, failed.status());
            assertTrue(failed.cause().contains("magic"), failed.cause());
            JobResult ok = client.watch(good.jobId(), JOB_TIMEOUT, e -> { });
            assertEquals(JobResult.Status.SUCCEEDED, ok.status(), () -> "cause: " + ok.cause());
        }
    }

    @Test
    void sameStageMessageDeliveredTwiceYieldsExactlyOneResult() {
        JobMessage job = JobMessage.start(JobIds.newId(), smallJob().finetuneEpochs(0).build());
        try (TopicClient topics = new TopicClient(EndToEndPipeline.bootstrap())) {
            topics.send(Topics.JOBS, job.jobId(), Json.toJson(job));
            topics.send(Topics.JOBS, job.jobId(), Json.toJson(job));
            JobResult result = client.watch(job.jobId(), JOB_TIMEOUT, e -> { });
            assertEquals(JobResult.Status.SUCCEEDED, result.status(), () -> "cause: " + result.cause());
            // Give a duplicate time to surface, then count what each topic holds for this job.
            topics.readKey(Topics.RESULTS, job.jobId(), 1, Duration.ofSeconds(5));
            assertThrowsAssertion(() -> topics.readKey(Topics.RESULTS, job.jobId(), 2, Duration.ofSeconds(10)));
            assertThrowsAssertion(() -> topics.readKey(Topics.SCORE, job.jobId(), 2, Duration.ofSeconds(3)));
        }
    }

    private static void assertThrowsAssertion(Runnable r) {
        try {
            r.run();
        } catch (AssertionError expected) {
            return;
        }
        throw new AssertionError("a duplicate record was found");
    }
}

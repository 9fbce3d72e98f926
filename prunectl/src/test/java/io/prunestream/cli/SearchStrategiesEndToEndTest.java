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
import io.prunestream.pipeline.MethodOptions;
import io.prunestream.core.allocation.TargetKind;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * One job per allocation strategy, each on its default slip, through a real KRaft broker and the four
 * services as processes (one pipeline shared by all), on a small trained VGG and a few hundred images.
 */
@ExtendWith(EndToEndPipeline.class)
class SearchStrategiesEndToEndTest {
    static final Duration JOB_TIMEOUT = Duration.ofMinutes(5);
    static PipelineClient client;
    static ArtifactRef baseline;

    @BeforeAll
    static void trainBaseline() throws Exception {
        client = EndToEndPipeline.client();
        baseline = EndToEndPipeline.trainedVggSmall("search-baseline", 5, 600, 1, 64);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"uniform", "global", "eagleeye", "aofp", "dsa"})
    void aJobOnTheStrategysDefaultSlipMeetsItsBudget(String allocation) {
        JobSpec spec = JobSpec.builder().model(baseline).targetKind(TargetKind.FLOPS).targetFraction(0.5).criterion("l1")
                .allocation(allocation).candidates(allocation.equals("eagleeye") ? 2 : 1)
                .acceptance(AcceptanceRule.bestOfN()).maxRounds(1).finetuneEpochs(allocation.equals("uniform") ? 1 : 0)
                .learningRate(0.01).trainImages(300).heldOutImages(100).testImages(100).calibrationBatches(2).seed(5)
                .stageTimeoutSeconds(240).option(MethodOptions.DSA_STEPS, 3).option(MethodOptions.DSA_BATCH_SIZE, 32)
                .option(MethodOptions.AOFP_MAX_ROUND_TRIPS, 2).option(MethodOptions.AOFP_SAMPLE_IMAGES, 16).build();
        JobMessage job = JobMessage.start(JobIds.newId(), spec);
        List<JobEvent> events = new ArrayList<>();
        client.submit(job);
        JobResult result = client.watch(job.jobId(), JOB_TIMEOUT, events::add);
        assertEquals(JobResult.Status.SUCCEEDED, result.status(), () -> "cause: " + result.cause());
        double achieved = result.report().achievedFraction();
        assertTrue(achieved <= 0.5 && achieved > 0.3, allocation + " achieved " + achieved);
        for (var stage : spec.effectiveSlip().stages()) {
            assertTrue(events.stream().anyMatch(e -> e.stage().equals(stage.toString())),
                    stage + " ran, as events on prune.events show");
        }
        if (allocation.equals("aofp")) {
            assertTrue(events.stream().anyMatch(e -> e.type() == JobEvent.Type.PROGRESS
                    && e.message().startsWith("aofp round trip 2")), "two round trips through Kafka");
        }
    }
}

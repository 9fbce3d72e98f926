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
import io.prunestream.pipeline.RoutingSlip;
import io.prunestream.core.allocation.TargetKind;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.Test;

/**
 * The training slips (network slimming, GAL, distilled fine-tuning) through a real KRaft broker and
 * the four services as processes, sharing one started pipeline; tiny data and few steps.
 */
@ExtendWith(EndToEndPipeline.class)
class TrainingSlipsEndToEndTest {
    static PipelineClient client;
    static ArtifactRef baseline;

    @BeforeAll
    static void trainBaseline() throws Exception {
        client = EndToEndPipeline.client();
        baseline = EndToEndPipeline.trainedVggSmall("training-e2e-baseline", 5, 300, 1, 32);
    }

    static JobSpec.Builder tinyJob() {
        return JobSpec.builder().model(baseline).targetKind(TargetKind.FLOPS).targetFraction(0.5).criterion("l1")
                .allocation("uniform").candidates(1).acceptance(AcceptanceRule.bestOfN()).maxRounds(1)
                .finetuneEpochs(1).learningRate(0.01).trainImages(256).heldOutImages(100).testImages(100)
                .calibrationBatches(2).seed(5).stageTimeoutSeconds(300);
    }

    static JobResult submitAndWait(JobSpec spec, List<JobEvent> events) {
        JobMessage job = JobMessage.start(JobIds.newId(), spec);
        client.submit(job);
        JobResult result = client.watch(job.jobId(), PipelineEndToEndTest.JOB_TIMEOUT, events::add);
        assertEquals(JobResult.Status.SUCCEEDED, result.status(), () -> "cause: " + result.cause());
        return result;
    }

    static boolean progressOf(List<JobEvent> events, String stage, String value) {
        return events.stream().anyMatch(e -> e.stage().equals(stage) && e.type() == JobEvent.Type.PROGRESS
                && e.values().containsKey(value));
    }

    @Test
    void slimmingSlipCompletesAndMeetsItsTarget() {
        List<JobEvent> events = new ArrayList<>();
        JobResult result = submitAndWait(tinyJob().routingSlip(RoutingSlip.slimming().toString())
                .option(MethodOptions.SLIMMING_LAMBDA, 1e-3).build(), events);
        assertTrue(result.report().achievedFraction() <= 0.5, "" + result.report().achievedFraction());
        assertTrue(progressOf(events, "finetune:sparse", "loss"), "sparse training progress on prune.events");
        assertTrue(result.report().stageDurationsMs().containsKey("score:bn-scale"),
                result.report().stageDurationsMs().toString());
    }

    @Test
    void galSlipCompletesWithASmallerModel() {
        List<JobEvent> events = new ArrayList<>();
        JobResult result = submitAndWait(tinyJob().routingSlip(RoutingSlip.gal().toString())
                .option(MethodOptions.GAL_LAMBDA, 4).option(MethodOptions.GAL_MASK_LEARNING_RATE, 0.05)
                .option(MethodOptions.GAL_EPOCHS, 3).option(MethodOptions.GAL_STEPS, 2).option(MethodOptions.GAL_MASK_STEP, 1).build(), events);
        assertTrue(result.report().flopsAfter() < result.report().flopsBefore(), result.report().toString());
        assertTrue(progressOf(events, "finetune:gal", "maskSparsity"), "mask sparsity on prune.events");
    }

    @Test
    void distilledFineTuningCompletes() {
        List<JobEvent> events = new ArrayList<>();
        JobResult result = submitAndWait(tinyJob().option(MethodOptions.DISTILLATION_WEIGHT, 0.5).build(), events);
        assertTrue(events.stream().anyMatch(e -> e.stage().equals("finetune") && e.message().contains("distilling")));
        assertTrue(result.report().finalAccuracy() > 0 && result.report().finalAccuracy() <= 1);
    }
}

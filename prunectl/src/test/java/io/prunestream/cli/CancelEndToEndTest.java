package io.prunestream.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prunestream.pipeline.JobEvent;
import io.prunestream.pipeline.JobIds;
import io.prunestream.pipeline.JobMessage;
import io.prunestream.pipeline.JobResult;
import io.prunestream.pipeline.Topics;
import io.prunestream.testkit.TopicClient;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Cancellation and budgets through the real services: a job busy fine-tuning in the finetune service
 * stops there and ends with exactly one CANCELLED result, whether a user cancels it or its budget runs out.
 */
@ExtendWith(EndToEndPipeline.class)
class CancelEndToEndTest {

    @Test
    void aCancelStopsAJobBusyFineTuningAndItEndsWithOneCancelledResult() throws Exception {
        PipelineEndToEndTest.trainBaseline();
        PipelineClient client = EndToEndPipeline.client();
        // Long enough to be cancelled in the middle of fine-tuning: hundreds of epochs of 600 images.
        JobMessage job = JobMessage.start(JobIds.newId(), PipelineEndToEndTest.smallJob().finetuneEpochs(100).build());
        CountDownLatch fineTuning = new CountDownLatch(1);
        client.submit(job);
        CompletableFuture<JobResult> result = CompletableFuture.supplyAsync(() -> client.watch(job.jobId(),
                PipelineEndToEndTest.JOB_TIMEOUT, e -> {
                    if (e.stage().equals("finetune") && e.type() == JobEvent.Type.PROGRESS) {
                        fineTuning.countDown();
                    }
                }));
        assertTrue(fineTuning.await(5, TimeUnit.MINUTES), "the job never reached fine-tuning");

        client.cancel(job.jobId(), "cancelled by the end-to-end test");

        JobResult ended = result.get(2, TimeUnit.MINUTES);
        assertEquals(JobResult.Status.CANCELLED, ended.status(), () -> "cause: " + ended.cause());
        assertEquals("cancelled by the end-to-end test", ended.cause());
        assertEquals("finetune", ended.failedStage());
        assertOneResult(job.jobId());
    }

    @Test
    void aSpentBudgetEndsTheJobCancelledNamingTheBudget() throws Exception {
        PipelineEndToEndTest.trainBaseline();
        JobMessage job = JobMessage.start(JobIds.newId(),
                PipelineEndToEndTest.smallJob().finetuneEpochs(100).budgetSeconds(20).build());
        PipelineClient client = EndToEndPipeline.client();
        client.submit(job);
        JobResult ended = client.watch(job.jobId(), PipelineEndToEndTest.JOB_TIMEOUT, e -> { });
        assertEquals(JobResult.Status.CANCELLED, ended.status(), () -> "cause: " + ended.cause());
        assertTrue(ended.cause().contains("budget of 20 s"), ended.cause());
        assertOneResult(job.jobId());
    }

    /** One result now, and no second one within a few seconds (a racing duplicate would come that soon). */
    private static void assertOneResult(String jobId) {
        try (TopicClient topics = new TopicClient(EndToEndPipeline.bootstrap())) {
            assertEquals(1, topics.readAll(Topics.RESULTS, r -> jobId.equals(r.key())).size(),
                    "exactly one result for " + jobId);
            AssertionError none = assertThrows(AssertionError.class,
                    () -> topics.readKey(Topics.RESULTS, jobId, 2, Duration.ofSeconds(5)));
            assertTrue(none.getMessage() != null);
        }
    }
}

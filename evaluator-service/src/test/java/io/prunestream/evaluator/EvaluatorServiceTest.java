package io.prunestream.evaluator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prunestream.core.testing.RequiredData;
import io.prunestream.pipeline.ArtifactRoles;
import io.prunestream.pipeline.JobEvent;
import io.prunestream.pipeline.JobMessage;
import io.prunestream.pipeline.Topics;
import io.prunestream.testkit.InJvmKafkaResource;
import io.prunestream.testkit.PipelineServiceTest;
import io.prunestream.testkit.SampleJobs;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(InJvmKafkaResource.class)
class EvaluatorServiceTest extends PipelineServiceTest {
    @Override
    protected String inputTopic() {
        return Topics.EVALUATE;
    }

    @Test
    void onlyCandidateOfARoundIsAcceptedAndGoesToFineTuning() {
        RequiredData.fashionMnist();
        JobMessage candidate = SampleJobs.advancedTo(Topics.EVALUATE, SampleJobs.submission(store), store);
        send(Topics.EVALUATE, candidate);

        JobMessage toFinetune = awaitMessage(Topics.FINETUNE, candidate.jobId());
        assertEquals("finetune", toFinetune.stage().toString());
        double accuracy = toFinetune.candidateMetrics().get("heldOutAccuracy");
        assertTrue(accuracy >= 0 && accuracy <= 1, "held-out accuracy " + accuracy);
        assertTrue(toFinetune.baselineMetrics().containsKey("heldOutAccuracy"), "baseline measured once per job");
        // vgg-small has batch norm: the accepted candidate is the recalibrated one, not the pruner's.
        assertTrue(!toFinetune.artifact(ArtifactRoles.CANDIDATE).equals(candidate.artifact(ArtifactRoles.CANDIDATE)),
                "adaptive BN stored a recalibrated candidate");
        store.loadModel(toFinetune.artifact(ArtifactRoles.CANDIDATE));

        awaitEvent(candidate.jobId(), "evaluate:adaptive-bn", JobEvent.Type.PROGRESS);
        awaitEvent(candidate.jobId(), "evaluate:adaptive-bn", JobEvent.Type.COMPLETED);
        assertMetricsExposed("evaluate:adaptive-bn");
    }
}

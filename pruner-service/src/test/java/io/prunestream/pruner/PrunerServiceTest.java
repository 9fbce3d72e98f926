package io.prunestream.pruner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prunestream.core.cost.CostModel;
import io.prunestream.core.model.ModelPackage;
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
class PrunerServiceTest extends PipelineServiceTest {
    @Override
    protected String inputTopic() {
        return Topics.PRUNE;
    }

    @Test
    void scoredJobIsCutToItsBudgetAndGoesToTheEvaluator() {
        JobMessage scored = SampleJobs.advancedTo(Topics.PRUNE, SampleJobs.submission(store), store);
        send(Topics.PRUNE, scored);

        JobMessage toEvaluate = awaitMessage(Topics.EVALUATE, scored.jobId());
        assertEquals("evaluate:adaptive-bn", toEvaluate.stage().toString());
        ModelPackage original = store.loadModel(scored.artifact(ArtifactRoles.MODEL));
        ModelPackage candidate = store.loadModel(toEvaluate.artifact(ArtifactRoles.CANDIDATE));
        double kept = (double) CostModel.of(candidate.spec()).macs() / CostModel.of(original.spec()).macs();
        assertTrue(kept <= 0.5 && kept > 0.3, "the candidate keeps at most half the FLOPs: " + kept);
        assertEquals(kept, toEvaluate.candidateMetrics().get("flopsFraction"), 1e-6);

        awaitEvent(scored.jobId(), "prune:uniform", JobEvent.Type.PROGRESS);
        awaitEvent(scored.jobId(), "prune:uniform", JobEvent.Type.COMPLETED);
        assertMetricsExposed("prune:uniform");
    }
}

package io.prunestream.finetune;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prunestream.core.cost.CostModel;
import io.prunestream.core.model.ModelPackage;
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
class FinetuneServiceTest extends PipelineServiceTest {
    @Override
    protected String inputTopic() {
        return Topics.FINETUNE;
    }

    @Test
    void acceptedCandidateIsFineTunedAndGoesToTheFinalEvaluation() {
        RequiredData.fashionMnist();
        JobMessage accepted = SampleJobs.advancedTo(Topics.FINETUNE, SampleJobs.submission(store), store);
        send(Topics.FINETUNE, accepted);

        JobMessage toEvaluate = awaitMessage(Topics.EVALUATE, accepted.jobId());
        assertEquals("evaluate:final", toEvaluate.stage().toString());
        ModelPackage candidate = store.loadModel(accepted.artifact(ArtifactRoles.CANDIDATE));
        ModelPackage finetuned = store.loadModel(toEvaluate.artifact(ArtifactRoles.FINETUNED));
        assertEquals(CostModel.of(candidate.spec()).macs(), CostModel.of(finetuned.spec()).macs(),
                "fine-tuning changes weights, not the architecture");

        awaitEvent(accepted.jobId(), "finetune", JobEvent.Type.PROGRESS);
        JobEvent done = awaitEvent(accepted.jobId(), "finetune", JobEvent.Type.COMPLETED);
        assertTrue(done.values().containsKey("trainLoss"), done.values().toString());
        assertMetricsExposed("finetune");
    }
}

package io.prunestream.scorer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.prunestream.pipeline.ArtifactRoles;
import io.prunestream.pipeline.JobEvent;
import io.prunestream.pipeline.JobMessage;
import io.prunestream.pipeline.Topics;
import io.prunestream.pipeline.stage.ScoreArtifact;
import io.prunestream.testkit.InJvmKafkaResource;
import io.prunestream.testkit.PipelineServiceTest;
import io.prunestream.testkit.SampleJobs;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(InJvmKafkaResource.class)
class ScorerServiceTest extends PipelineServiceTest {
    @Override
    protected String inputTopic() {
        return Topics.SCORE;
    }

    @Test
    void submissionIsCheckedThenScoredAndGoesToThePruner() {
        JobMessage job = send(Topics.JOBS, SampleJobs.submission(store));

        JobMessage toScore = awaitMessage(Topics.SCORE, job.jobId());
        assertEquals("score:l1", toScore.stage().toString());

        JobMessage toPrune = awaitMessage(Topics.PRUNE, job.jobId());
        assertEquals("prune:uniform", toPrune.stage().toString());
        ScoreArtifact scores = ScoreArtifact.fromBytes(store.read(toPrune.artifact(ArtifactRoles.SCORES)));
        assertEquals("l1", scores.criterion());
        assertFalse(scores.groups().isEmpty(), "one score array per prunable channel group");

        awaitEvent(job.jobId(), "intake", JobEvent.Type.COMPLETED);
        JobEvent scored = awaitEvent(job.jobId(), "score:l1", JobEvent.Type.COMPLETED);
        assertEquals(scores.groups().size(), scored.values().get("groups").intValue());
        assertMetricsExposed("score:l1");
    }
}

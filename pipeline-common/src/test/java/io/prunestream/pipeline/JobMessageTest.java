package io.prunestream.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JobMessageTest {
    private final JobSpec spec = JobSpec.builder().model(Samples.ref("in/model.zip")).build();

    @Test
    void startsAtTheHeadOfTheSlipWithTheSubmittedModel() {
        JobMessage start = JobMessage.start("job-7", spec);
        assertEquals("score:l1", start.stage().toString());
        assertEquals(spec.model(), start.artifact(ArtifactRoles.MODEL));
        assertEquals(0, start.attempt());
        assertEquals(0, start.round());
        assertEquals(0, start.candidate());
        assertEquals("job-7/score:l1/0/0/0", start.idempotencyKey());
    }

    @Test
    void theIdempotencyKeyChangesWithStageAttemptRoundAndCandidateOnly() {
        JobMessage start = JobMessage.start("job-7", spec);
        assertEquals(start.idempotencyKey(), start.withNote("seen").idempotencyKey());
        assertEquals("job-7/prune:uniform/0/0/0", start.advance().idempotencyKey());
        assertEquals("job-7/score:l1/1/0/0", start.retry().idempotencyKey());
        assertEquals("job-7/score:l1/0/0/3", start.withCandidate(3).idempotencyKey());
    }

    @Test
    void advanceResetsTheAttemptAndStopsAtTheLastStage() {
        JobMessage msg = JobMessage.start("job-7", spec).retry();
        assertEquals(1, msg.attempt());
        msg = msg.advance();
        assertEquals(0, msg.attempt());
        while (!msg.isLastStage()) {
            msg = msg.advance();
        }
        assertEquals(Stage.EVALUATE_FINAL, msg.stage());
        JobMessage last = msg;
        IllegalStateException e = assertThrows(IllegalStateException.class, last::advance);
        assertTrue(e.getMessage().contains("publish a JobResult"), e.getMessage());
    }

    @Test
    void loopBackGoesRoundAgainAndRemembersWhy() {
        JobMessage atEvaluation = JobMessage.start("job-7", spec).advance().advance().retry();
        assertTrue(atEvaluation.mayLoopBack());
        JobMessage looped = atEvaluation.loopBack("conv2 kept too few channels",
                Stage.of(StageKind.PRUNE, "uniform"), Stage.EVALUATE_ADAPTIVE_BN);
        assertEquals("prune:uniform -> evaluate:adaptive-bn -> finetune -> evaluate:final", looped.routingSlip());
        assertEquals(1, looped.round());
        assertEquals(0, looped.attempt());
        assertEquals(List.of("conv2 kept too few channels"), looped.history());
        JobMessage secondLoop = looped.advance().loopBack("again", Stage.of(StageKind.PRUNE), Stage.EVALUATE_ADAPTIVE_BN);
        assertFalse(secondLoop.mayLoopBack(), "maxRounds 3: rounds 0, 1, 2");
    }

    @Test
    void artifactsAndMetricsAccumulate() {
        ArtifactRef scores = Samples.ref("job-7/scores.json");
        JobMessage msg = JobMessage.start("job-7", spec)
                .withArtifact(ArtifactRoles.SCORES, scores)
                .withBaselineMetrics(Map.of("accuracy", 0.9));
        assertEquals(List.of("model", "scores"), List.copyOf(msg.artifacts().keySet()));
        assertEquals(scores, msg.artifact(ArtifactRoles.SCORES));
        assertEquals(0.9, msg.baselineMetrics().get("accuracy"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> msg.artifact(ArtifactRoles.CANDIDATE));
        assertTrue(e.getMessage().contains("no 'candidate' artifact (it has: model, scores)"), e.getMessage());
        assertThrows(UnsupportedOperationException.class, () -> msg.artifacts().put("x", scores));
    }

    @Test
    void theSlipIsStoredCanonically() {
        JobMessage msg = JobMessage.start("job-7", spec);
        JobMessage arrows = new JobMessage(1, "job-7", 0, 0, 0, spec, "score:l1\u2192prune:uniform,finetune",
                msg.artifacts(), Map.of(), Map.of(), List.of());
        assertEquals("score:l1 -> prune:uniform -> finetune", arrows.routingSlip());
    }

    @Test
    void invalidMessagesCannotBeBuilt() {
        JobMessage ok = JobMessage.start("job-7", spec);
        assertThrows(IllegalArgumentException.class, () -> JobMessage.start("job/7", spec));
        assertThrows(IllegalArgumentException.class, () -> new JobMessage(1, "job-7", -1, 0, 0, spec,
                ok.routingSlip(), Map.of(), Map.of(), Map.of(), List.of()));
        assertThrows(IllegalArgumentException.class, () -> new JobMessage(1, "job-7", 0, 0, 0, spec,
                "", Map.of(), Map.of(), Map.of(), List.of()));
        assertNotEquals(ok, ok.withNote("x"));
    }

    @Test
    void resultsNeedWhatTheyPromise() {
        assertThrows(IllegalArgumentException.class, () -> JobResult.failed("job-7", "prune:global", " "));
        assertThrows(IllegalArgumentException.class, () -> JobResult.succeeded("job-7", null, Samples.report()));
        JobResult failed = JobResult.failed("job-7", "prune:global", "budget unreachable with minChannels 4");
        assertEquals(JobResult.Status.FAILED, failed.status());
        assertEquals("prune:global", failed.failedStage());
    }
}

package io.prunestream.pipeline.stage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prunestream.core.allocation.Allocators;
import io.prunestream.core.importance.Criteria;
import io.prunestream.pipeline.JobSpec;
import io.prunestream.pipeline.RoutingSlip;
import io.prunestream.pipeline.Stage;
import io.prunestream.pipeline.StageKind;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The one list of variants per stage kind, which the stages dispatch on and intake checks slips against. */
class StageVariantsTest {
    private static final JobSpec JOB = JobSpec.builder().criterion("fpgm").allocation("Global").build();

    @Test
    void everyCriterionAndAllocatorIsAVariantAndThePipelinesOwnStrategiesToo() {
        assertEquals(List.copyOf(StageVariants.of(StageKind.SCORE)), Criteria.names());
        assertTrue(StageVariants.of(StageKind.PRUNE).containsAll(Allocators.names()));
        assertTrue(StageVariants.of(StageKind.PRUNE).containsAll(List.of("aofp", "dsa", "mask")));
        assertTrue(StageVariants.of(StageKind.EVALUATE).containsAll(List.of("adaptive-bn", "plain", "aofp", "final")));
        assertTrue(StageVariants.of(StageKind.FINETUNE).containsAll(List.of("plain", "dsa", "sparse", "gal")));
    }

    @Test
    void aStageWithoutAVariantRunsItsKindsDefaultAndTheJobsChoices() {
        assertEquals("fpgm", StageVariants.resolve(Stage.of(StageKind.SCORE), JOB));
        assertEquals("global", StageVariants.resolve(Stage.of(StageKind.PRUNE), JOB), "looked up lower-cased");
        assertEquals(EvaluateStage.DEFAULT_VARIANT, StageVariants.resolve(Stage.of(StageKind.EVALUATE), JOB));
        assertEquals(FinetuneStage.DEFAULT_VARIANT, StageVariants.resolve(Stage.of(StageKind.FINETUNE), JOB));
        assertEquals("sparse", StageVariants.resolve(Stage.of(StageKind.FINETUNE, "sparse"), JOB));
    }

    @Test
    void everyStandardSlipIsOneTheStagesRun() {
        for (String allocation : StageVariants.of(StageKind.PRUNE)) {
            if (allocation.equals("mask")) {
                continue; // no job-level allocation: the cut that GAL's slip ends in
            }
            JobSpec job = JobSpec.builder().allocation(allocation).build();
            assertEquals(List.of(), StageVariants.problems(job.effectiveSlip(), job), allocation);
        }
        assertEquals(List.of(), StageVariants.problems(RoutingSlip.gal(), JOB));
        assertEquals(List.of(), StageVariants.problems(RoutingSlip.slimming(), JOB));
    }

    @Test
    void anUnknownVariantIsNamedWithTheKnownOnes() {
        List<String> problems = StageVariants.problems(RoutingSlip.parse(
                "score:l7 -> prune:global -> evaluate:adaptive-bnn -> finetune:warp"), JOB);
        assertEquals(3, problems.size(), problems.toString());
        assertTrue(problems.get(0).startsWith("unknown score variant 'l7' in stage 'score:l7' (known: l1, "), problems.get(0));
        assertTrue(problems.get(1).contains("'adaptive-bnn'") && problems.get(1).contains("adaptive-bn, "), problems.get(1));
        assertTrue(problems.get(2).contains("(known: plain, dsa, sparse, gal)"), problems.get(2));
        StageFailure failure = assertThrows(StageFailure.class,
                () -> StageVariants.require(Stage.of(StageKind.PRUNE, "golbal"), JOB));
        assertTrue(failure.getMessage().contains("unknown prune variant 'golbal'"), failure.getMessage());
    }

    @Test
    void aStageBeforeTheStageWhoseOutputItUsesIsRefusedAtIntake() {
        List<String> problems = StageVariants.problems(RoutingSlip.parse(
                "prune:mask -> evaluate:aofp -> finetune:dsa -> prune:dsa -> evaluate:final"), JOB);
        assertEquals(List.of(
                "stage 'prune:mask' works on what 'finetune:gal' makes, so the slip needs 'finetune:gal' before it",
                "stage 'evaluate:aofp' works on what 'prune:aofp' makes, so the slip needs 'prune:aofp' before it"),
                problems);
    }
}

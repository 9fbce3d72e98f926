package io.prunestream.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class RoutingSlipTest {
    private static final String STANDARD = "score:l1 -> prune:uniform -> evaluate:adaptive-bn -> finetune -> evaluate:final";

    @Test
    void parsesEverySeparatorAndPrintsCanonically() {
        for (String text : List.of(STANDARD,
                "score:l1\u2192prune:uniform \u2192 evaluate:adaptive-bn\u2192finetune\u2192evaluate:final",
                "score:l1,prune:uniform, evaluate:adaptive-bn ,finetune,evaluate:final",
                " score:l1->prune:uniform->evaluate:adaptive-bn->finetune->evaluate:final ")) {
            RoutingSlip slip = RoutingSlip.parse(text);
            assertEquals(STANDARD, slip.toString());
            assertEquals(slip, RoutingSlip.parse(slip.toString()));
        }
    }

    @Test
    void standardIsTheUsualPipeline() {
        RoutingSlip slip = RoutingSlip.standard("l1", "uniform");
        assertEquals(RoutingSlip.parse(STANDARD), slip);
        assertEquals(List.of(new Stage(StageKind.SCORE, "l1"), new Stage(StageKind.PRUNE, "uniform"),
                new Stage(StageKind.EVALUATE, "adaptive-bn"), new Stage(StageKind.FINETUNE, null),
                new Stage(StageKind.EVALUATE, "final")), slip.stages());
    }

    @Test
    void standardSlipsFollowTheSearchStrategy() {
        assertEquals("score:l1 -> prune:eagleeye -> evaluate:adaptive-bn -> finetune -> evaluate:final",
                RoutingSlip.standard("l1", "eagleeye").toString());
        assertEquals("score:fpgm -> prune:aofp -> evaluate:aofp -> finetune -> evaluate:final",
                RoutingSlip.standard("fpgm", "aofp").toString());
        assertEquals("score:l1 -> finetune:dsa -> prune:dsa -> evaluate:adaptive-bn -> finetune -> evaluate:final",
                RoutingSlip.standard("l1", "dsa").toString());
    }

    @Test
    void advancesStageByStageUntilDone() {
        RoutingSlip slip = RoutingSlip.parse(STANDARD);
        for (String expected : List.of("score:l1", "prune:uniform", "evaluate:adaptive-bn", "finetune", "evaluate:final")) {
            assertFalse(slip.isDone());
            assertEquals(expected, slip.current().toString());
            slip = slip.advance();
        }
        assertTrue(slip.isDone());
        assertEquals("", slip.toString());
        RoutingSlip done = slip;
        assertThrows(IllegalStateException.class, done::current);
        assertThrows(IllegalStateException.class, done::advance);
    }

    @Test
    void insertNextPutsStagesRightAfterTheCurrentOne() {
        RoutingSlip atEvaluation = RoutingSlip.parse(STANDARD).advance().advance();
        RoutingSlip looped = atEvaluation
                .insertNext(Stage.of(StageKind.PRUNE, "uniform"), Stage.EVALUATE_ADAPTIVE_BN)
                .advance();
        assertEquals("prune:uniform -> evaluate:adaptive-bn -> finetune -> evaluate:final", looped.toString());
        assertEquals("evaluate:adaptive-bn -> finetune -> evaluate:final", atEvaluation.toString(),
                "the original slip is unchanged");
        assertThrows(IllegalArgumentException.class, atEvaluation::insertNext);
    }

    @Test
    void unknownKindsAndEmptySlipsAreRejectedClearly() {
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> RoutingSlip.parse("score:l1 -> distill"));
        assertTrue(unknown.getMessage().contains("unknown stage kind 'distill'"), unknown.getMessage());
        assertTrue(unknown.getMessage().contains("score, prune, evaluate, finetune"), unknown.getMessage());
        for (String empty : new String[] {null, "", "  "}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RoutingSlip.parse(empty));
            assertTrue(e.getMessage().contains("routing slip is empty"), e.getMessage());
        }
        IllegalArgumentException gap = assertThrows(IllegalArgumentException.class,
                () -> RoutingSlip.parse("score:l1 -> -> finetune"));
        assertTrue(gap.getMessage().contains("empty stage at position 2"), gap.getMessage());
        assertThrows(IllegalArgumentException.class, () -> RoutingSlip.of(List.of()));
    }

    @Test
    void stagesParseKindAndVariant() {
        Stage stage = Stage.parse(" Evaluate:adaptive-bn ");
        assertEquals(StageKind.EVALUATE, stage.kind());
        assertEquals("adaptive-bn", stage.variant());
        assertNull(Stage.parse("finetune").variant());
        assertEquals("default", Stage.parse("finetune").variantOr("default"));
        assertThrows(IllegalArgumentException.class, () -> Stage.parse("score:"));
        assertThrows(IllegalArgumentException.class, () -> Stage.parse("score:a/b"));
        assertThrows(IllegalArgumentException.class, () -> Stage.parse("score:a:b"));
    }

    @Test
    void everyStageKindHasItsServiceTopic() {
        assertEquals("prune.score", Topics.forStage("score:fpgm"));
        assertEquals("prune.prune", Topics.forStage(Stage.parse("prune:global")));
        assertEquals("prune.evaluate", Topics.forStage("evaluate:final"));
        assertEquals("prune.finetune", Topics.forStage(StageKind.FINETUNE));
        assertEquals(9, Topics.ALL.size());
        assertTrue(Topics.ALL.containsAll(List.of("prune.jobs", "prune.events", "prune.results", "prune.dead-letter", "prune.control")));
        assertThrows(IllegalArgumentException.class, () -> Topics.forStage("publish"));
    }
}

package io.prunestream.pipeline;

import io.prunestream.core.allocation.TargetKind;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prunestream.core.allocation.ChannelRounding;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JobSpecTest {
    private static final String MODEL_JSON = "{\"formatVersion\":1,\"path\":\"m.zip\",\"size\":10,\"sha256\":\""
            + Samples.SHA_A + "\"}";

    @Test
    void aMinimalSubmissionTakesTheDefaults() {
        JobSpec spec = Json.fromJson("{\"formatVersion\":1,\"model\":" + MODEL_JSON + "}", JobSpec.class);
        assertEquals(TargetKind.FLOPS, spec.targetKind());
        assertEquals(0.5, spec.targetFraction());
        assertEquals(1, spec.candidates());
        assertEquals(AcceptanceRule.Rule.BEST_OF_N, spec.acceptance().rule());
        assertEquals(2.0, spec.acceptance().maxAccuracyDrop());
        assertEquals(3, spec.maxRounds());
        assertEquals(1, spec.minChannels());
        assertEquals(ChannelRounding.DEFAULT_ROUND_TO, spec.roundTo());
        assertEquals(1, spec.finetuneEpochs());
        assertEquals(0.01, spec.learningRate());
        assertNull(spec.datasetDir());
        assertNull(spec.trainImages());
        assertEquals(50, spec.calibrationBatches());
        assertEquals(1800, spec.stageTimeoutSeconds());
        assertNull(spec.routingSlip());
        assertEquals(RoutingSlip.standard("l1", "uniform"), spec.effectiveSlip());
        assertEquals(List.of(), spec.validate());
    }

    @Test
    void enumsReadInTheirDocumentedSpellingAndCaseInsensitively() {
        JobSpec spec = Json.fromJson("{\"formatVersion\":1,\"model\":" + MODEL_JSON + ",\"targetKind\":\"PARAMS\","
                + "\"acceptance\":{\"rule\":\"tolerance\"}}", JobSpec.class);
        assertEquals(TargetKind.PARAMS, spec.targetKind());
        assertEquals(AcceptanceRule.tolerance(2.0), spec.acceptance());
        String json = Json.toJson(spec);
        assertTrue(json.contains("\"targetKind\":\"params\""), json);
        assertTrue(json.contains("\"rule\":\"tolerance\""), json);
    }

    @Test
    void anUnknownEnumValueIsAFormatError() {
        MessageFormatException e = assertThrows(MessageFormatException.class, () -> Json.fromJson(
                "{\"formatVersion\":1,\"targetKind\":\"latency\"}", JobSpec.class));
        assertTrue(e.getMessage().contains("targetKind"), e.getMessage());
    }

    @Test
    void validateListsEveryProblem() {
        JobSpec spec = JobSpec.builder()
                .targetFraction(0)
                .candidates(0)
                .maxRounds(0)
                .minChannels(0)
                .roundTo(0)
                .learningRate(-1)
                .trainImages(0)
                .calibrationBatches(0)
                .stageTimeoutSeconds(0)
                .criterion(" ")
                .acceptance(AcceptanceRule.tolerance(-1))
                .routingSlip("score:l1 -> polish")
                .build();
        List<String> problems = spec.validate();
        for (String expected : List.of("model is required", "targetFraction must be in (0, 1]",
                "candidates must be at least 1", "maxRounds must be at least 1", "minChannels must be at least 1",
                "roundTo must be between 1 and 256",
                "learningRate must be positive", "trainImages must be positive", "calibrationBatches must be at least 1",
                "stageTimeoutSeconds must be at least 1", "criterion is required", "maxAccuracyDrop",
                "unknown stage kind 'polish'")) {
            assertTrue(problems.stream().anyMatch(p -> p.contains(expected)), expected + " not in " + problems);
        }
        assertEquals(13, problems.size(), problems.toString());
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -8, 257})
    void aRoundToOutsideOneTo256IsRefusedSayingWhatItDoes(int roundTo) {
        List<String> problems = Samples.fullSpec().toBuilder().roundTo(roundTo).build().validate();
        assertEquals(List.of("roundTo must be between 1 and 256 (kept channels per group are rounded up to a multiple "
                + "of it; 1 = no rounding), got " + roundTo), problems);
    }

    @Test
    void roundToTravelsAsJsonAndOneAndTheMaximumAreValid() {
        JobSpec spec = Json.fromJson("{\"formatVersion\":1,\"model\":" + MODEL_JSON + ",\"roundTo\":16}",
                JobSpec.class);
        assertEquals(16, spec.roundTo());
        assertTrue(Json.toJson(spec).contains("\"roundTo\":16"), Json.toJson(spec));
        assertEquals(List.of(), spec.toBuilder().roundTo(1).build().validate());
        assertEquals(List.of(), spec.toBuilder().roundTo(JobSpec.Builder.MAX_ROUND_TO).build().validate());
    }

    /** Jobs written before roundTo existed (submissions, or messages in flight) decode with the default. */
    @Test
    void aRecordWithoutRoundToDecodesWithTheDefault() {
        String json = Json.toJson(Samples.fullMessage());
        String old = json.replace("\"roundTo\":16,", "");
        assertTrue(!old.contains("roundTo"), old);
        JobMessage decoded = Json.fromJson(old, JobMessage.class);
        assertEquals(ChannelRounding.DEFAULT_ROUND_TO, decoded.spec().roundTo());
        assertEquals(Samples.fullSpec().toBuilder().roundTo(ChannelRounding.DEFAULT_ROUND_TO).build(), decoded.spec());
    }

    @Test
    void anUnknownMethodOptionIsRefusedWithTheKnownOnesListed() {
        JobSpec spec = Json.fromJson("{\"formatVersion\":1,\"model\":" + MODEL_JSON
                + ",\"methodOptions\":{\"distilation.weight\":0.5}}", JobSpec.class);
        List<String> problems = spec.validate();
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).startsWith("unknown method option 'distilation.weight' (known: "), problems.get(0));
    }

    @Test
    void aFractionOfOneIsValid() {
        assertEquals(List.of(), Samples.fullSpec().toBuilder().targetFraction(1.0).build().validate());
    }

    @Test
    void toBuilderCopiesEveryField() {
        assertEquals(Samples.fullSpec(), Samples.fullSpec().toBuilder().build());
    }

    @Test
    void anExplicitSlipWins() {
        assertEquals("score:fpgm -> prune:eagleeye -> evaluate:adaptive-bn -> finetune -> evaluate:final",
                Samples.fullSpec().effectiveSlip().toString());
        JobSpec gal = Samples.fullSpec().toBuilder().routingSlip("finetune:gal, evaluate:final").build();
        assertEquals(RoutingSlip.of(Stage.of(StageKind.FINETUNE, "gal"), Stage.EVALUATE_FINAL), gal.effectiveSlip());
    }

    @Test
    void anotherFormatVersionCannotBeBuilt() {
        assertThrows(IllegalArgumentException.class, () -> JobSpec.builder().formatVersion(2).build());
    }
}

package io.prunestream.core.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.OptionalInt;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class TrainingConfigTest {

    @Test
    void defaultsAreTheBnRecipe() {
        TrainingConfig c = TrainingConfig.defaults();
        assertEquals(128, c.batchSize());
        assertEquals(0.1, c.learningRate());
        assertEquals(0.9, c.momentum());
        assertEquals(5e-4, c.weightDecay());
        assertEquals(LearningRateSchedule.COSINE, c.schedule());
        assertEquals(OptionalInt.empty(), c.maxBatchesPerEpoch());
        assertEquals(c, c.toBuilder().build());
    }

    static Stream<Arguments> badValues() {
        return Stream.of(
                bad(b -> b.epochs(0), "epochs must be at least 1, got 0"),
                bad(b -> b.batchSize(-3), "batchSize must be at least 1, got -3"),
                bad(b -> b.learningRate(0), "learningRate must be positive and finite, got 0.0"),
                bad(b -> b.learningRate(Double.NaN), "learningRate must be positive and finite, got NaN"),
                bad(b -> b.learningRate(Double.POSITIVE_INFINITY), "learningRate must be positive and finite"),
                bad(b -> b.momentum(1.0), "momentum must be in [0, 1), got 1.0"),
                bad(b -> b.momentum(-0.1), "momentum must be in [0, 1), got -0.1"),
                bad(b -> b.weightDecay(-1e-4), "weightDecay must be zero or positive and finite, got -1.0E-4"),
                bad(b -> b.maxBatchesPerEpoch(0), "maxBatchesPerEpoch must be at least 1 when set, got 0"));
    }

    private static Arguments bad(UnaryOperator<TrainingConfig.Builder> change, String message) {
        return Arguments.of(change, message);
    }

    @ParameterizedTest
    @MethodSource("badValues")
    void rejectsBadValuesNamingThem(UnaryOperator<TrainingConfig.Builder> change, String message) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> change.apply(TrainingConfig.builder()).build());
        assertTrue(e.getMessage().startsWith(message), e.getMessage());
    }

    @Test
    void rejectsMissingParts() {
        NullPointerException e = assertThrows(NullPointerException.class,
                () -> TrainingConfig.builder().schedule(null).build());
        assertEquals("schedule must not be null", e.getMessage());
        e = assertThrows(NullPointerException.class, () -> TrainingConfig.builder().loss(null).build());
        assertEquals("loss must not be null", e.getMessage());
    }

    @Test
    void batchesPerEpochRoundsUpAndHonoursTheCap() {
        TrainingConfig c = TrainingConfig.builder().batchSize(10).build();
        assertEquals(1, c.batchesPerEpoch(1));
        assertEquals(10, c.batchesPerEpoch(100));
        assertEquals(11, c.batchesPerEpoch(101));
        assertEquals(3, c.toBuilder().maxBatchesPerEpoch(3).build().batchesPerEpoch(101));
        assertEquals(2, c.toBuilder().maxBatchesPerEpoch(3).build().batchesPerEpoch(20));
    }

    @Test
    void cosineStartsAtTheBaseRateAndDecays() {
        var cosine = LearningRateSchedule.COSINE.tracker(0.1f, 100);
        assertEquals(0.1f, cosine.getNewValue(0), 1e-7);
        assertEquals(0.05f, cosine.getNewValue(50), 1e-6);
        assertTrue(cosine.getNewValue(99) > 0 && cosine.getNewValue(99) < 1e-3);
        assertEquals(0.1f, LearningRateSchedule.CONSTANT.tracker(0.1f, 100).getNewValue(99));
    }
}

package io.prunestream.core.cost;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.engine.Engine;
import io.prunestream.core.zoo.ModelZoo;
import java.util.List;
import org.junit.jupiter.api.Test;

class LatencyMeterTest {
    private static final Device DEVICE = Engine.getInstance().defaultDevice();

    @Test
    void measuresPositiveFiniteLatencies() {
        List<LatencyMeter.Latency> all =
                new LatencyMeter(1, 3, DEVICE).measure(ModelZoo.create("lenet", 1), List.of(1, 4));
        assertEquals(2, all.size());
        for (int i = 0; i < 2; i++) {
            LatencyMeter.Latency l = all.get(i);
            assertEquals(i == 0 ? 1 : 4, l.batchSize());
            assertTrue(l.medianMs() > 0 && Double.isFinite(l.medianMs()), l.toString());
            assertEquals(l.medianMs() / l.batchSize(), l.perImageMs(), 1e-12);
            assertEquals(DEVICE.toString(), l.device());
            assertFalse(l.device().isBlank());
        }
    }

    @Test
    void medianOfOddAndEvenCounts() {
        assertEquals(2.0, LatencyMeter.median(new double[] {3, 1, 2}));
        assertEquals(2.5, LatencyMeter.median(new double[] {4, 1, 3, 2}));
    }

    @Test
    void rejectsBadArguments() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> new LatencyMeter(-1, 3, DEVICE));
        assertEquals("warmupRuns must not be negative, got -1", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new LatencyMeter(0, 0, DEVICE));
        assertEquals("timedRuns must be at least 1, got 0", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> new LatencyMeter().measure(ModelZoo.create("lenet", 1), 0));
        assertEquals("batch size must be at least 1, got 0", e.getMessage());
    }
}

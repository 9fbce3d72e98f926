package io.prunestream.core.cost;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.engine.Engine;
import io.prunestream.core.allocation.AllocationRequest;
import io.prunestream.core.allocation.Allocators;
import io.prunestream.core.allocation.TargetKind;
import io.prunestream.core.dependency.ChannelSurgery;
import io.prunestream.core.dependency.DependencyGraph;
import io.prunestream.core.importance.Criteria;
import io.prunestream.core.importance.ScoringContext;
import io.prunestream.core.model.ModelPackage;
import io.prunestream.core.zoo.ModelZoo;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Shapes and bookkeeping of the measurements; never their values, which depend on the machine. */
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
            assertEquals(3, l.rounds());
            assertOrdered(l);
        }
    }

    @Test
    void measuresAZooModelAndAMuchSmallerPrunedOneTogether() {
        ModelPackage full = ModelZoo.create("resnet20", 1);
        ModelPackage pruned = prune(full, 0.25);
        Map<String, ModelPackage> models = new LinkedHashMap<>();
        models.put("resnet20", full);
        models.put("pruned", pruned);
        Map<String, List<LatencyMeter.Latency>> measured =
                new LatencyMeter(1, 3, DEVICE).measureTogether(models, List.of(1, 16));
        assertEquals(List.of("resnet20", "pruned"), List.copyOf(measured.keySet()));
        for (List<LatencyMeter.Latency> perBatch : measured.values()) {
            assertEquals(List.of(1, 16), perBatch.stream().map(LatencyMeter.Latency::batchSize).toList());
            for (LatencyMeter.Latency l : perBatch) {
                assertTrue(l.medianMs() > 0 && Double.isFinite(l.medianMs()), l.toString());
                assertEquals(3, l.rounds());
                assertOrdered(l);
            }
        }
    }

    @Test
    void warmsEveryModelUpBeforeTheFirstRoundAndTimesEachOncePerBatchAndRound() {
        List<String> calls = new ArrayList<>();
        Map<String, ScriptedForward> forwards = new LinkedHashMap<>();
        for (String name : List.of("a", "b", "c")) {
            forwards.put(name, new ScriptedForward(name, calls));
        }
        Map<String, List<LatencyMeter.Latency>> measured =
                new LatencyMeter(2, 5, DEVICE).measureOpened(forwards, List.of(1, 8));

        int warmups = 3 * 2 * 2;
        assertEquals(warmups + 3 * 2 * 5, calls.size());
        List<String> timed = calls.subList(warmups, calls.size());
        for (int round = 0; round < 5; round++) {
            Set<String> seen = new HashSet<>(timed.subList(6 * round, 6 * round + 6));
            assertEquals(Set.of("a@1", "a@8", "b@1", "b@8", "c@1", "c@8"), seen, "round " + round);
        }
        // The scripted times are 1..5 ms in call order per slot: the median is the third, the spread p10..p90.
        for (List<LatencyMeter.Latency> perBatch : measured.values()) {
            for (LatencyMeter.Latency l : perBatch) {
                assertEquals(5, l.rounds());
                assertEquals(3.0, l.medianMs(), 1e-12);
                assertEquals(1.0, l.minMs(), 1e-12);
                assertEquals(5.0, l.maxMs(), 1e-12);
                assertEquals(1.4, l.p10Ms(), 1e-12);
                assertEquals(4.6, l.p90Ms(), 1e-12);
                assertEquals("scripted", l.device());
            }
        }
    }

    @Test
    void noModelIsAlwaysFirst() {
        List<List<LatencyMeter.Slot>> schedule = LatencyMeter.schedule(3, 2, 10, LatencyMeter.ORDER_SEED);
        Set<Integer> first = new HashSet<>();
        for (List<LatencyMeter.Slot> round : schedule) {
            assertEquals(6, new HashSet<>(round).size(), round.toString());
            first.add(round.get(0).model());
        }
        assertEquals(Set.of(0, 1, 2), first);
        assertEquals(schedule, LatencyMeter.schedule(3, 2, 10, LatencyMeter.ORDER_SEED), "a fixed seed, a fixed order");
    }

    @Test
    void medianOfOddAndEvenCounts() {
        assertEquals(2.0, LatencyMeter.median(new double[] {3, 1, 2}));
        assertEquals(2.5, LatencyMeter.median(new double[] {4, 1, 3, 2}));
        assertEquals(7.0, LatencyMeter.median(new double[] {7}));
    }

    @Test
    void percentilesInterpolateBetweenNearestRanks() {
        double[] sorted = {10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 110};
        assertEquals(20.0, LatencyMeter.percentile(sorted, 0.1), 1e-12);
        assertEquals(100.0, LatencyMeter.percentile(sorted, 0.9), 1e-12);
        assertEquals(10.0, LatencyMeter.percentile(sorted, 0.0), 1e-12);
        assertEquals(110.0, LatencyMeter.percentile(sorted, 1.0), 1e-12);
        assertEquals(1.5, LatencyMeter.percentile(new double[] {1, 2}, 0.5), 1e-12);
    }

    @Test
    void spreadIsHalfTheP10ToP90RangeOverTheMedian() {
        LatencyMeter.Latency l = new LatencyMeter.Latency(1, 4.6, 4.6, "cpu()", 4.4, 4.5, 4.776, 5.0, 10);
        assertEquals(0.03, l.spread(), 1e-12);
        assertEquals("4.60 ms ±3%", l.display());
        assertEquals("14.7 ms ±0%", new LatencyMeter.Latency(1, 14.7, 14.7, "cpu()", 14.7, 14.7, 14.7, 14.7, 1).display());
        assertEquals("147 ms ±0%", new LatencyMeter.Latency(1, 147, 147, "cpu()", 147, 147, 147, 147, 1).display());
    }

    @Test
    void rejectsBadArguments() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> new LatencyMeter(-1, 3, DEVICE));
        assertEquals("warmupRuns must not be negative, got -1", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new LatencyMeter(0, 0, DEVICE));
        assertEquals("rounds must be at least 1, got 0", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> new LatencyMeter().measure(ModelZoo.create("lenet", 1), 0));
        assertEquals("batch size must be at least 1, got 0", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new LatencyMeter().measureTogether(Map.of()));
        assertEquals("no model to measure", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> new LatencyMeter().measureTogether(Map.of("lenet", ModelZoo.create("lenet", 1)), List.of()));
        assertEquals("no batch size to measure at", e.getMessage());
    }

    private static void assertOrdered(LatencyMeter.Latency l) {
        assertTrue(l.minMs() <= l.p10Ms() && l.p10Ms() <= l.medianMs() && l.medianMs() <= l.p90Ms()
                && l.p90Ms() <= l.maxMs(), l.toString());
        assertTrue(l.minMs() > 0, l.toString());
        assertTrue(l.spread() >= 0, l.toString());
    }

    private static ModelPackage prune(ModelPackage model, double flops) {
        DependencyGraph graph = DependencyGraph.of(model.graph());
        return ChannelSurgery.apply(model, graph, Allocators.byName("uniform").allocate(AllocationRequest.builder(model,
                Criteria.byName("l1").scorePrunableGroups(ScoringContext.builder(model).graph(graph).build()))
                .graph(graph).target(TargetKind.FLOPS, flops).build()).plan());
    }

    /** Records every call and answers 1, 2, 3... ms per (model, batch) slot: timings without a clock. */
    private static final class ScriptedForward implements TimedForward {
        private final String name;
        private final List<String> calls;
        private final Map<Integer, Integer> timedCalls = new LinkedHashMap<>();
        private final Map<Integer, Integer> allCalls = new LinkedHashMap<>();

        ScriptedForward(String name, List<String> calls) {
            this.name = name;
            this.calls = calls;
        }

        @Override
        public String device() {
            return "scripted";
        }

        @Override
        public double forwardMs(int batchSize) {
            calls.add(name + "@" + batchSize);
            // The first two calls per batch are the warm-up (2 runs in the test), the rest are timed.
            if (allCalls.merge(batchSize, 1, Integer::sum) <= 2) {
                return 1000;
            }
            return timedCalls.merge(batchSize, 1, Integer::sum);
        }

        @Override
        public void close() {}
    }
}

package io.prunestream.core.search;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prunestream.core.allocation.AllocationRequest;
import io.prunestream.core.allocation.ChannelOrder;
import io.prunestream.core.allocation.ChannelRounding;
import io.prunestream.core.allocation.TargetKind;
import io.prunestream.core.cost.CostModel;
import io.prunestream.core.data.ImageDataset;
import io.prunestream.core.dependency.ChannelSurgery;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class AofpSearchTest {
    static final ImageDataset SAMPLE = DsaTest.randomImages(32, new Random(8));

    @Test
    void damageGrowsWithTheCutAndIsZeroForNoCut() {
        SearchFixture s = SearchFixture.of("vgg-small");
        ChannelOrder order = new ChannelOrder(s.request(TargetKind.FLOPS, 0.5).build());
        int id = order.group(1).id();
        int n = order.size(1);
        FeatureMapDamage damage = new FeatureMapDamage(SAMPLE, 16);
        double[] d = damage.measure(s.model(), order, Map.of(id, List.of(new int[0],
                java.util.stream.IntStream.range(0, n / 4).toArray(), java.util.stream.IntStream.range(0, n - 1).toArray())))
                .get(id);
        assertEquals(3, d.length);
        assertEquals(0, d[0], 1e-9);
        assertTrue(d[1] > 0 && d[2] > d[1], d[1] + " then " + d[2]);
    }

    /** Proposals are random halves of the candidates, not a ranked prefix: no score decides them. */
    @Test
    void proposalsAreRandomHalvesThatIgnoreTheScores() {
        SearchFixture s = SearchFixture.of("vgg-small");
        ChannelOrder order = new ChannelOrder(s.request(TargetKind.FLOPS, 0.5).roundTo(ChannelRounding.NONE).build());
        AofpState state = AofpState.start(order, 0.3, 10, 4, 5);
        AofpState.GroupSearch g = state.groups().get(1);
        assertEquals(4, g.proposals().size());
        Set<String> distinct = g.proposals().stream().map(Arrays::toString).collect(Collectors.toSet());
        assertTrue(distinct.size() > 1, "the halves differ");
        int lowestRanked = order.channelAt(1, order.size(1) - 1);
        assertTrue(g.proposals().stream().anyMatch(h -> Arrays.stream(h).noneMatch(c -> c == lowestRanked)),
                "some half spares the channel the scores rank lowest");
        g.proposals().forEach(h -> assertEquals((order.size(1) + 1) / 2, h.length));
        assertEquals(state.toJson(), AofpState.start(order, 0.3, 10, 4, 5).toJson(), "same seed, same halves");
    }

    /** A half within the threshold is accepted; otherwise the search narrows to the channels that hurt least. */
    @Test
    void acceptedHalvesArePrunedAndRejectedOnesNarrowTheCandidates() {
        SearchFixture s = SearchFixture.of("lenet");
        ChannelOrder order = new ChannelOrder(s.request(TargetKind.FLOPS, 0.5).roundTo(ChannelRounding.NONE).build());
        AofpState state = AofpState.start(order, 0.3, 10, 2, 1);
        int id = state.groups().get(1).groupId();
        AofpState.GroupSearch before = state.groups().get(1);
        Map<Integer, double[]> damage = new HashMap<>();
        state.proposals().keySet().forEach(k -> damage.put(k, new double[] {0.9, 0.9}));
        damage.put(id, new double[] {0.5, 0.1});
        AofpState.GroupSearch accepted = state.judged(damage).groups().get(1);
        assertArrayEquals(before.proposals().get(1), accepted.pruned(), "the half within the threshold went");
        assertEquals(before.candidates().length - before.proposals().get(1).length, accepted.candidates().length);

        AofpState.GroupSearch narrowed = state.judged(Map.copyOf(new HashMap<>(damage) {
            {
                put(id, new double[] {0.8, 0.6});
            }
        })).groups().get(1);
        assertEquals(0, narrowed.pruned().length, "nothing within the threshold, nothing pruned");
        assertEquals(before.candidates().length / 2, narrowed.candidates().length);
        Set<Integer> secondOnly = Arrays.stream(before.proposals().get(1)).boxed().collect(Collectors.toSet());
        Arrays.stream(before.proposals().get(0)).forEach(secondOnly::remove);
        assertTrue(Arrays.stream(narrowed.candidates()).boxed().collect(Collectors.toSet()).containsAll(secondOnly)
                || secondOnly.size() > narrowed.candidates().length,
                "channels only in the less damaging half are kept as candidates first");
        assertThrows(IllegalArgumentException.class, () -> state.judged(Map.of(id, new double[] {0.1})));
    }

    @Test
    void theSearchTerminatesItsStateTravelsAsJsonAndTheResultMeetsTheBudgetWithoutFallback() {
        SearchFixture s = SearchFixture.of("vgg-small");
        AllocationRequest request = s.request(TargetKind.FLOPS, 0.5).build();
        ChannelOrder order = new ChannelOrder(request);
        FeatureMapDamage damage = new FeatureMapDamage(SAMPLE, 16);
        AofpState state = AofpSearch.settle(request, AofpState.start(order, 0.1, 40, 2, 3));
        int trips = 0;
        while (!state.done()) {
            // Every message carries the state as JSON: judge what came out of a round trip through text.
            state = AofpSearch.settle(request,
                    AofpState.fromJson(state.judged(damage.measure(s.model(), order, state.proposals())).toJson()));
            trips++;
            assertTrue(trips <= 40, "bounded by the round-trip limit");
        }
        AofpSearch.Result result = AofpSearch.finish(request, state);
        assertFalse(result.fallback(), "the threshold escalates until the search's own plan fits");
        assertTrue(result.threshold() >= 0.1, "" + result.threshold());
        assertTrue(result.allocation().targetMet(), result.allocation().summary());
        assertTrue(result.allocation().achievedFlopsFraction() > 0.4, result.allocation().summary());
        assertEquals(result.allocation().prunedMacs(),
                CostModel.of(ChannelSurgery.apply(s.model(), s.graph(), result.allocation().plan()).spec()).macs());
        // Every removed channel is one the search accepted.
        Map<Integer, int[]> searched = state.removals();
        result.allocation().plan().kept().forEach((id, kept) -> {
            Set<Integer> keptSet = Arrays.stream(kept).boxed().collect(Collectors.toSet());
            Set<Integer> accepted = Arrays.stream(searched.get(id)).boxed().collect(Collectors.toSet());
            for (int c = 0; c < s.graph().group(id).size(); c++) {
                assertTrue(keptSet.contains(c) || accepted.contains(c), "group " + id + " channel " + c);
            }
        });
    }

    @Test
    void runningOutOfRoundTripsOverBudgetEndsInTheGlobalFallbackWhichStillMeetsTheBudget() {
        SearchFixture s = SearchFixture.of("vgg-small");
        AofpSearch.Result result = AofpSearch.run(s.request(TargetKind.FLOPS, 0.5).build(), SAMPLE.head(16), 16,
                0.0, 2);
        assertTrue(result.fallback(), "nothing may go under a zero threshold in two round trips");
        assertTrue(result.searchedFraction() > 0.5, "" + result.searchedFraction());
        assertTrue(result.allocation().targetMet(), result.allocation().summary());
        assertTrue(result.allocation().achievedFlopsFraction() > 0.45, result.allocation().summary());
        assertEquals(2, result.roundTrips());
    }

    @Test
    void aLooseThresholdIsBackedOffToTheTargetKeepingTheSearchedChoice() {
        SearchFixture s = SearchFixture.of("vgg-small");
        AllocationRequest request = s.request(TargetKind.FLOPS, 0.5).build();
        ChannelOrder order = new ChannelOrder(request);
        // Any damage is acceptable: the search removes everything it may, far below the target.
        AofpState state = AofpState.start(order, Double.MAX_VALUE, 40, 2, 3);
        while (!state.done()) {
            Map<Integer, double[]> harmless = new HashMap<>();
            state.proposals().forEach((id, sets) -> harmless.put(id, new double[sets.size()]));
            state = AofpSearch.settle(request, state.judged(harmless));
        }
        AofpSearch.Result result = AofpSearch.finish(request, state);
        assertFalse(result.fallback());
        assertTrue(result.searchedFraction() < 0.3, "searched plan " + result.searchedFraction());
        assertTrue(result.allocation().targetMet(), result.allocation().summary());
        assertTrue(result.allocation().achievedFlopsFraction() > 0.45, result.allocation().summary());
        Map<Integer, int[]> searched = state.removals();
        for (int i = 0; i < order.count(); i++) {
            int id = order.group(i).id();
            int removed = order.size(i) - (result.allocation().plan().touches(id)
                    ? result.allocation().plan().keptOf(id).length : order.size(i));
            assertTrue(removed <= searched.get(id).length, "group " + id + " removes no more than its search allowed");
        }
    }

    @Test
    void aRoundTripLimitStopsTheSearchEarly() {
        SearchFixture s = SearchFixture.of("lenet");
        AofpState state = AofpState.start(new ChannelOrder(s.request(TargetKind.FLOPS, 0.5).build()), 0.5, 1);
        assertFalse(state.done());
        Map<Integer, double[]> harmless = new HashMap<>();
        state.proposals().forEach((id, sets) -> harmless.put(id, new double[sets.size()]));
        AofpState after = state.judged(harmless);
        assertTrue(after.done());
        assertTrue(after.removals().values().stream().allMatch(r -> r.length > 0), "accepted proposals count");
    }
}

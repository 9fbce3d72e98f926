package io.prunestream.core.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prunestream.core.allocation.AllocationRequest;
import io.prunestream.core.allocation.ChannelOrder;
import io.prunestream.core.allocation.TargetKind;
import io.prunestream.core.cost.CostModel;
import io.prunestream.core.data.ImageDataset;
import io.prunestream.core.dependency.ChannelSurgery;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class AofpSearchTest {
    static final ImageDataset SAMPLE = DsaTest.randomImages(32, new Random(8));

    @Test
    void damageGrowsWithTheCutAndIsZeroForNoCut() {
        SearchFixture s = SearchFixture.of("vgg-small");
        ChannelOrder order = new ChannelOrder(s.request(TargetKind.FLOPS, 0.5).build());
        int id = order.group(1).id();
        FeatureMapDamage damage = new FeatureMapDamage(SAMPLE, 16);
        double none = damage.measure(s.model(), order, Map.of(id, 0)).get(id);
        double some = damage.measure(s.model(), order, Map.of(id, order.size(1) / 4)).get(id);
        double most = damage.measure(s.model(), order, Map.of(id, order.size(1) - 1)).get(id);
        assertEquals(0, none, 1e-9);
        assertTrue(some > 0 && most > some, some + " then " + most);
    }

    @Test
    void theSearchTerminatesItsStateTravelsAsJsonAndTheResultMeetsTheBudget() {
        SearchFixture s = SearchFixture.of("vgg-small");
        AllocationRequest request = s.request(TargetKind.FLOPS, 0.5).build();
        ChannelOrder order = new ChannelOrder(request);
        FeatureMapDamage damage = new FeatureMapDamage(SAMPLE, 16);
        AofpState state = AofpState.start(order, 0.3, 20);
        int trips = 0;
        while (!state.done()) {
            // Every message carries the state as JSON: judge what came out of a round trip through text.
            state = AofpState.fromJson(state.judged(damage.measure(s.model(), order, state.proposals())).toJson());
            trips++;
            assertTrue(trips <= 20, "bounded by the round-trip limit");
        }
        int largest = s.graph().prunableGroups().stream().mapToInt(g -> g.size()).max().orElseThrow();
        assertTrue(trips <= 1 + 32 - Integer.numberOfLeadingZeros(largest), trips + " round trips");
        state.groups().forEach(g -> assertTrue(g.converged(), "group " + g.groupId()));
        AofpSearch.Result result = AofpSearch.finish(request, state);
        assertTrue(result.allocation().targetMet(), result.allocation().summary());
        assertEquals(result.allocation().prunedMacs(),
                CostModel.of(ChannelSurgery.apply(s.model(), s.graph(), result.allocation().plan()).spec()).macs());
        s.assertKeepsTheHighestScores(result.allocation().plan());
    }

    @Test
    void aTightThresholdEndsInTheGlobalFallbackWhichStillMeetsTheBudget() {
        SearchFixture s = SearchFixture.of("vgg-small");
        AofpSearch.Result result = AofpSearch.run(s.request(TargetKind.FLOPS, 0.5).build(), SAMPLE.head(16), 16,
                0.0, 2);
        assertTrue(result.fallback(), "nothing may go under a zero threshold, so the budget needs the fallback");
        assertTrue(result.searchedFraction() > 0.5, "" + result.searchedFraction());
        assertTrue(result.allocation().targetMet(), result.allocation().summary());
        assertTrue(result.allocation().achievedFlopsFraction() > 0.45, result.allocation().summary());
        assertEquals(2, result.roundTrips());
    }

    @Test
    void aRoundTripLimitStopsTheSearchEarly() {
        SearchFixture s = SearchFixture.of("lenet");
        AofpState state = AofpState.start(new ChannelOrder(s.request(TargetKind.FLOPS, 0.5).build()), 0.5, 1);
        assertFalse(state.done());
        Map<Integer, Double> harmless = new java.util.HashMap<>();
        state.proposals().keySet().forEach(id -> harmless.put(id, 0.0));
        AofpState after = state.judged(harmless);
        assertTrue(after.done());
        assertTrue(after.removals().values().stream().allMatch(r -> r > 0), "accepted proposals count");
    }

    @Test
    void aLooseThresholdIsBackedOffToTheTargetKeepingTheSearchedProportions() {
        SearchFixture s = SearchFixture.of("vgg-small");
        AllocationRequest request = s.request(TargetKind.FLOPS, 0.5).build();
        ChannelOrder order = new ChannelOrder(request);
        // Any damage is acceptable: the search removes everything it may, far below the target.
        AofpState state = AofpState.start(order, Double.MAX_VALUE, 20);
        while (!state.done()) {
            Map<Integer, Double> harmless = new java.util.HashMap<>();
            state.proposals().keySet().forEach(id -> harmless.put(id, 0.0));
            state = state.judged(harmless);
        }
        AofpSearch.Result result = AofpSearch.finish(request, state);
        assertFalse(result.fallback());
        assertTrue(result.searchedFraction() < 0.3, "searched plan " + result.searchedFraction());
        assertTrue(result.allocation().targetMet(), result.allocation().summary());
        assertTrue(result.allocation().achievedFlopsFraction() > 0.45, result.allocation().summary());
        Map<Integer, Integer> searched = state.removals();
        for (int i = 0; i < order.count(); i++) {
            int id = order.group(i).id();
            int removed = order.size(i) - (result.allocation().plan().touches(id)
                    ? result.allocation().plan().keptOf(id).length : order.size(i));
            assertTrue(removed <= searched.getOrDefault(id, 0), "group " + id + " removes no more than its search allowed");
        }
        s.assertKeepsTheHighestScores(result.allocation().plan());
    }
}

package io.prunestream.core.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prunestream.core.allocation.AllocationResult;
import io.prunestream.core.allocation.Allocators;
import io.prunestream.core.allocation.TargetKind;
import io.prunestream.core.cost.CostModel;
import io.prunestream.core.dependency.ChannelGroup;
import io.prunestream.core.dependency.ChannelSurgery;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class EagleEyeAllocatorTest {
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"lenet", "resnet20", "mobilenetv2-small"})
    void everyDrawnCandidateMeetsItsBudgetWithinTheTolerance(String arch) {
        SearchFixture s = SearchFixture.of(arch);
        EagleEyeAllocator eagleEye = new EagleEyeAllocator();
        Set<String> distinct = new HashSet<>();
        for (long seed = 0; seed < 12; seed++) {
            EagleEyeAllocator.Candidate c = eagleEye.draw(s.request(TargetKind.FLOPS, 0.5).seed(seed).build());
            AllocationResult r = c.allocation();
            assertTrue(r.targetMet(), r.summary());
            assertTrue(r.achievedFlopsFraction() <= 0.5 && r.achievedFlopsFraction() >= 0.48, r.summary());
            // The reported cost is what surgery produces.
            assertEquals(r.prunedMacs(), CostModel.of(ChannelSurgery.apply(s.model(), s.graph(), r.plan()).spec()).macs());
            for (double ratio : c.ratios()) {
                assertTrue(ratio >= 0 && ratio <= EagleEyeAllocator.DEFAULT_MAX_RATIO, "ratio " + ratio);
            }
            s.assertKeepsTheHighestScores(r.plan());
            distinct.add(counts(r));
        }
        assertTrue(distinct.size() > 6, "random draws differ: " + distinct.size() + " distinct plans of 12");
    }

    @Test
    void oneSeedOnePlanAndTheRegistryKnowsIt() {
        SearchFixture s = SearchFixture.of("resnet20");
        AllocationResult a = Allocators.byName("eagleeye").allocate(s.request(TargetKind.PARAMS, 0.4).seed(5).build());
        AllocationResult b = Allocators.byName("eagleeye").allocate(s.request(TargetKind.PARAMS, 0.4).seed(5).build());
        AllocationResult c = Allocators.byName("eagleeye").allocate(s.request(TargetKind.PARAMS, 0.4).seed(6).build());
        assertEquals(a.plan().kept().keySet(), b.plan().kept().keySet());
        a.plan().kept().forEach((g, kept) -> assertEquals(java.util.Arrays.toString(kept),
                java.util.Arrays.toString(b.plan().keptOf(g))));
        assertNotEquals(counts(a), counts(c), "another seed, another draw");
        assertTrue(a.achievedParamsFraction() <= 0.4 && a.achievedParamsFraction() >= 0.38, a.summary());
    }

    private static String counts(AllocationResult r) {
        StringBuilder b = new StringBuilder();
        r.plan().kept().forEach((g, kept) -> b.append(g).append(':').append(kept.length).append(' '));
        return b.toString();
    }

    @Test
    void theFloorHoldsAndAnUnreachableTargetGivesTheFloorPlan() {
        SearchFixture s = SearchFixture.of("resnet20");
        AllocationResult low = new EagleEyeAllocator().allocate(s.request(TargetKind.FLOPS, 0.15).minChannels(4).build());
        for (ChannelGroup g : s.graph().prunableGroups()) {
            int kept = low.plan().touches(g.id()) ? low.plan().keptOf(g.id()).length : g.size();
            assertTrue(kept >= 4, g.name() + " keeps " + kept);
        }
        assertTrue(low.targetMet(), low.summary());
        AllocationResult impossible = new EagleEyeAllocator().allocate(s.request(TargetKind.FLOPS, 1e-4).build());
        assertFalse(impossible.targetMet());
        s.graph().prunableGroups().forEach(g -> assertEquals(1, impossible.plan().keptOf(g.id()).length));
    }

    @Test
    void boundsThatCannotReachTheWindowFailNamingTheOptions() {
        SearchFixture s = SearchFixture.of("resnet20");
        // At most 10% of each group's channels may go: half the FLOPs is out of reach.
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new EagleEyeAllocator(0, 0.1,
                0.02, 200).allocate(s.request(TargetKind.FLOPS, 0.5).build()));
        assertTrue(e.getMessage().contains("eagleeye.max-ratio"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new EagleEyeAllocator(0.5, 0.2, 0.02, 10));
    }
}

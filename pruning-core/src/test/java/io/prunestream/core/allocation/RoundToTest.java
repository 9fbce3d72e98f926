package io.prunestream.core.allocation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prunestream.core.allocation.AllocatorTest.Setup;
import io.prunestream.core.dependency.ChannelGroup;
import io.prunestream.core.dependency.PruningPlan;
import io.prunestream.core.search.AofpSearch;
import io.prunestream.core.search.AofpState;
import io.prunestream.core.search.EagleEyeAllocator;
import io.prunestream.core.search.RatioProjection;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Round-to as every strategy sees it through {@link ChannelOrder#plan}. */
class RoundToTest {
    /** Every way a request becomes a plan: the allocators and the search strategies' final steps. */
    enum Strategy {
        UNIFORM {
            @Override
            AllocationResult allocate(AllocationRequest request) {
                return new UniformAllocator().allocate(request);
            }
        },
        GLOBAL {
            @Override
            AllocationResult allocate(AllocationRequest request) {
                return new GlobalAllocator().allocate(request);
            }
        },
        EAGLEEYE {
            @Override
            AllocationResult allocate(AllocationRequest request) {
                return new EagleEyeAllocator().allocate(request);
            }
        },
        /** DSA's projection of learned ratios, here a fixed spread of ratios instead of trained ones. */
        DSA {
            @Override
            AllocationResult allocate(AllocationRequest request) {
                ChannelOrder order = new ChannelOrder(request);
                Map<Integer, Double> ratios = new HashMap<>();
                for (int i = 0; i < order.count(); i++) {
                    ratios.put(order.group(i).id(), 0.3 + 0.6 * (i % 5) / 4.0);
                }
                return RatioProjection.project("dsa", request, ratios).allocation();
            }
        },
        /** AOFP whose search leaves room under the budget, so the plan is backed off. */
        AOFP {
            @Override
            AllocationResult allocate(AllocationRequest request) {
                return aofp(request, 0.3, 30).allocation();
            }
        },
        /** AOFP whose search runs out of round trips short of the budget, so the global allocator finishes the cut. */
        AOFP_FALLBACK {
            @Override
            AllocationResult allocate(AllocationRequest request) {
                AofpSearch.Result result = aofp(request, 0.02, 2);
                assertTrue(result.fallback(), "this threshold is meant to need the fallback");
                return result.allocation();
            }
        };

        abstract AllocationResult allocate(AllocationRequest request);
    }

    /**
     * AOFP's search with a stand-in for feature-map damage that grows with the share of a group cut,
     * differs between groups and a little between channel sets: deterministic, and no model has to run.
     */
    static AofpSearch.Result aofp(AllocationRequest request, double threshold, int maxRoundTrips) {
        ChannelOrder order = new ChannelOrder(request);
        Map<Integer, Integer> sizes = new HashMap<>();
        for (int i = 0; i < order.count(); i++) {
            sizes.put(order.group(i).id(), order.size(i));
        }
        AofpState state = AofpSearch.settle(request, AofpState.start(order, threshold, maxRoundTrips, 4, 3));
        while (!state.done()) {
            Map<Integer, double[]> damage = new HashMap<>();
            state.proposals().forEach((id, sets) -> damage.put(id, sets.stream().mapToDouble(set -> {
                double share = (double) set.length / sizes.get(id);
                double where = java.util.Arrays.stream(set).average().orElse(0) / sizes.get(id);
                return share * (1 + id % 3) / 2.0 + 0.05 * where;
            }).toArray()));
            state = AofpSearch.settle(request, state.judged(damage));
        }
        return AofpSearch.finish(request, state);
    }

    /**
     * Plans of the code before round-to existed (kept count per touched group, and a hash of every kept
     * index), recorded on it with the same requests: round-to 1 must reproduce them exactly.
     */
    @ParameterizedTest(name = "{1} on {0}, {2} {3}")
    @CsvSource(delimiter = '|', textBlock = """
            resnet20          | UNIFORM       | FLOPS  | 0.5 | 1:11 2:11 3:11 4:11 5:23 6:23 7:23 8:23 9:45 10:45 11:45 12:45 #44cebc28
            resnet20          | UNIFORM       | PARAMS | 0.3 | 1:9 2:9 3:9 4:9 5:17 6:17 7:17 8:17 9:35 10:35 11:35 12:35 #dd5c6171
            resnet20          | GLOBAL        | FLOPS  | 0.5 | 1:14 2:6 3:8 4:12 5:9 6:29 7:18 8:21 9:17 10:63 11:31 12:54 #7ca06e85
            resnet20          | GLOBAL        | PARAMS | 0.3 | 1:11 2:5 3:7 4:10 5:4 6:24 7:11 8:13 9:6 10:58 11:12 12:43 #a342405a
            resnet20          | EAGLEEYE      | FLOPS  | 0.5 | 1:11 2:15 3:10 4:10 5:22 6:22 7:24 8:24 9:59 10:39 11:42 12:50 #426855e1
            resnet20          | DSA           | FLOPS  | 0.5 | 1:8 2:11 3:13 6:17 7:22 8:26 9:62 11:34 12:43 #4c03526f
            mobilenetv2-small | UNIFORM       | FLOPS  | 0.5 | 1:11 2:66 3:16 4:99 5:99 6:22 7:132 8:132 9:44 10:88 #8d54ec56
            mobilenetv2-small | UNIFORM       | PARAMS | 0.3 | 1:8 2:49 3:12 4:73 5:73 6:16 7:97 8:97 9:32 10:65 #cf2ad8b2
            mobilenetv2-small | GLOBAL        | FLOPS  | 0.5 | 1:11 2:47 4:57 5:81 7:90 8:120 10:117 #780d92a3
            mobilenetv2-small | GLOBAL        | PARAMS | 0.3 | 1:7 2:26 4:23 5:37 7:36 8:64 9:63 10:75 #7c53def7
            mobilenetv2-small | EAGLEEYE      | FLOPS  | 0.5 | 1:9 2:53 3:17 4:114 5:79 6:16 7:155 8:180 9:57 10:81 #b566db9b
            mobilenetv2-small | DSA           | FLOPS  | 0.5 | 1:7 2:54 3:17 4:125 6:13 7:109 8:138 9:55 #3cedd4c4
            """)
    void roundToOneReproducesThePlansOfBeforeRoundTo(String arch, Strategy strategy, TargetKind kind, double fraction,
            String expected) {
        Setup s = Setup.of(arch);
        AllocationResult r = strategy.allocate(s.request(kind, fraction).roundTo(ChannelRounding.NONE).seed(3).build());
        assertEquals(expected, digest(r.plan()));
    }

    static Stream<Arguments> strategiesModelsAndMultiples() {
        return Stream.of(Strategy.values()).flatMap(strategy -> Stream.of("resnet20", "mobilenetv2-small")
                .flatMap(arch -> Stream.of(8, 16).map(n -> Arguments.of(strategy, arch, n))));
    }

    @ParameterizedTest(name = "{0} on {1}, round-to {2}")
    @MethodSource("strategiesModelsAndMultiples")
    void everyKeptCountIsAMultipleOrTheWholeGroupAndTheTargetIsStillMet(Strategy strategy, String arch, int roundTo) {
        Setup s = Setup.of(arch);
        AllocationResult r = strategy.allocate(s.request(TargetKind.FLOPS, 0.5).roundTo(roundTo).seed(3).build());
        assertTrue(r.targetMet(), r.summary());
        assertTrue(r.achievedFlopsFraction() <= 0.5, r.summary());
        assertAligned(s, r.plan(), roundTo);
        AllocatorTest.assertMatchesSurgery(s, r, 1);
        if (strategy != Strategy.AOFP && strategy != Strategy.AOFP_FALLBACK) {
            // AOFP searches which channels go by their damage; no score ranks them.
            AllocatorTest.assertKeepsTheHighestScores(s, r.plan());
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"UNIFORM", "GLOBAL"})
    void aParamsTargetAndAFloorHoldWithRoundingToo(Strategy strategy) {
        Setup s = Setup.of("resnet20");
        AllocationResult r = strategy.allocate(s.request(TargetKind.PARAMS, 0.3).minChannels(10).roundTo(8).build());
        assertTrue(r.targetMet(), r.summary());
        assertAligned(s, r.plan(), 8);
        for (ChannelGroup g : s.graph().prunableGroups()) {
            int kept = kept(r.plan(), g);
            assertTrue(kept >= 16, g.name() + ": a floor of 10 rounds up to 16, kept " + kept);
        }
        AllocatorTest.assertMatchesSurgery(s, r, 10);
    }

    /**
     * ResNet-20's groups have 16, 32 and 64 channels: at 32, only the 64-wide ones can be cut, to 32,
     * which takes the FLOPs down to about 76%.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"UNIFORM", "GLOBAL"})
    void groupsNoWiderThanNAreLeftWhole(Strategy strategy) {
        Setup s = Setup.of("resnet20");
        AllocationResult r = strategy.allocate(s.request(TargetKind.FLOPS, 0.8).roundTo(32).build());
        assertTrue(r.targetMet(), r.summary());
        assertTrue(!r.plan().kept().isEmpty(), "something is cut");
        for (ChannelGroup g : s.graph().prunableGroups()) {
            if (g.size() <= 32) {
                assertTrue(!r.plan().touches(g.id()), g.name() + " is no wider than 32: it must be left whole");
            } else {
                assertTrue(kept(r.plan(), g) == 32 || kept(r.plan(), g) == g.size(), g.name() + " keeps "
                        + kept(r.plan(), g));
            }
        }
    }

    /**
     * Rounding up keeps costs monotone in a schedule's step, so bisection still lands on the largest
     * cost not above the target; checked against every step of a schedule that removes channels one at
     * a time from groups in a shuffled order. At round-to 16 a 30% target is out of reach (the 16-wide
     * groups cannot shrink), and the search must then return the cheapest plan and say so.
     */
    @ParameterizedTest(name = "round-to {0}")
    @ValueSource(ints = {1, 8, 16})
    void theScheduleSearchStillFindsTheLargestCostNotAboveTheTarget(int roundTo) {
        Setup s = Setup.of("resnet20");
        for (double target : new double[] {0.3, 0.5, 0.7}) {
            AllocationRequest request = s.request(TargetKind.FLOPS, target).roundTo(roundTo).build();
            ShuffledRemoval schedule = new ShuffledRemoval(new ChannelOrder(request), 7);
            PlanCost cost = new PlanCost(request);
            long previous = Long.MAX_VALUE;
            long largestFitting = -1;
            for (long step = 0; step <= schedule.steps(); step++) {
                PruningPlan plan = schedule.planAt(step);
                long macs = cost.of(plan).macs();
                assertTrue(macs <= previous, "cost rose at step " + step + " with round-to " + roundTo);
                previous = macs;
                if (cost.fits(plan)) {
                    largestFitting = Math.max(largestFitting, macs);
                }
            }
            AllocationResult found = ScheduleSearch.run("shuffled", request, schedule);
            assertEquals(largestFitting >= 0, found.targetMet(), found.summary());
            assertEquals(largestFitting >= 0 ? largestFitting : previous, found.prunedMacs(),
                    "target " + target + ", round-to " + roundTo);
        }
    }

    @Test
    void aRequestRoundsToTheDefaultUnlessToldOtherwise() {
        Setup s = Setup.of("lenet");
        AllocationRequest.Builder b = AllocationRequest.builder(s.model(), s.scores()).target(TargetKind.FLOPS, 0.5);
        assertEquals(ChannelRounding.DEFAULT_ROUND_TO, b.build().roundTo());
        assertEquals(16, b.roundTo(16).build().roundTo());
    }

    @ParameterizedTest(name = "keep {0}, floor {1}, size {2}, round-to {3} -> {4}")
    @CsvSource({"11, 1, 16, 8, 16", "9, 1, 64, 8, 16", "8, 1, 64, 8, 8", "0, 1, 64, 8, 8", "3, 10, 64, 8, 16",
            "5, 1, 6, 8, 6", "13, 1, 20, 8, 16", "17, 1, 20, 8, 20", "11, 1, 16, 1, 11", "3, 4, 16, 1, 4",
            "1, 1, 100, 2147483647, 100"})
    void theRuleRoundsUpAboveTheFloorAndStopsAtTheGroupSize(int keep, int floor, int size, int roundTo, int expected) {
        assertEquals(expected, ChannelRounding.kept(keep, floor, size, roundTo));
    }

    /** Every group keeps a multiple of {@code roundTo} or all its channels. */
    static void assertAligned(Setup s, PruningPlan plan, int roundTo) {
        for (ChannelGroup g : s.graph().prunableGroups()) {
            int kept = kept(plan, g);
            assertTrue(kept % roundTo == 0 || kept == g.size(),
                    g.name() + " keeps " + kept + " of " + g.size() + ", not a multiple of " + roundTo);
        }
    }

    private static int kept(PruningPlan plan, ChannelGroup g) {
        return plan.touches(g.id()) ? plan.keptOf(g.id()).length : g.size();
    }

    /** Kept count per touched group and a hash of every kept index, in group order. */
    private static String digest(PruningPlan plan) {
        StringBuilder counts = new StringBuilder();
        List<Integer> everything = new ArrayList<>();
        new TreeMap<>(plan.kept()).forEach((group, kept) -> {
            counts.append(group).append(':').append(kept.length).append(' ');
            everything.add(group);
            for (int c : kept) {
                everything.add(c);
            }
        });
        return counts.toString().trim() + " #" + Integer.toHexString(everything.hashCode());
    }

    /** Removes one channel per step, from groups in a shuffled order; no group's count ever rises. */
    private static final class ShuffledRemoval implements PruningSchedule {
        private final ChannelOrder order;
        private final int[] removalGroup;

        ShuffledRemoval(ChannelOrder order, long seed) {
            this.order = order;
            List<Integer> removals = new ArrayList<>();
            for (int i = 0; i < order.count(); i++) {
                for (int k = order.floor(i); k < order.size(i); k++) {
                    removals.add(i);
                }
            }
            Collections.shuffle(removals, new Random(seed));
            this.removalGroup = removals.stream().mapToInt(Integer::intValue).toArray();
        }

        @Override
        public long steps() {
            return removalGroup.length;
        }

        @Override
        public PruningPlan planAt(long step) {
            int[] keep = new int[order.count()];
            for (int i = 0; i < keep.length; i++) {
                keep[i] = order.size(i);
            }
            for (int k = 0; k < step; k++) {
                keep[removalGroup[k]]--;
            }
            return order.plan(keep);
        }

        @Override
        public long stepFor(double ratio) {
            return Math.round(ratio * removalGroup.length);
        }
    }
}

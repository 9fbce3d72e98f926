package io.prunestream.core.allocation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prunestream.core.dependency.ChannelGroup;
import io.prunestream.core.dependency.DependencyGraph;
import io.prunestream.core.dependency.PruningPlan;
import io.prunestream.core.importance.L1Criterion;
import io.prunestream.core.importance.ScoringContext;
import io.prunestream.core.model.InputSpec;
import io.prunestream.core.model.ModelPackage;
import io.prunestream.core.model.ModelSpec;
import io.prunestream.core.zoo.GraphBuilder;
import io.prunestream.core.zoo.ModelZoo;
import java.util.HashMap;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AllocationRequestTest {
    private final ModelPackage model = ModelZoo.create("lenet", 1);
    private final DependencyGraph graph = DependencyGraph.of(model.graph());
    private final Map<Integer, float[]> scores = new L1Criterion().scorePrunableGroups(ScoringContext.of(model));

    @ParameterizedTest
    @ValueSource(doubles = {0, -0.1, 1.01, Double.NaN})
    void aTargetFractionOutsideZeroToOneIsRefused(double fraction) {
        assertRefused(b -> b.target(TargetKind.FLOPS, fraction), "target fraction must be in (0, 1]");
    }

    @Test
    void aRequestWithoutTargetIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> AllocationRequest.builder(model, scores).build());
        assertTrue(e.getMessage().contains("no cost target"), e.getMessage());
    }

    @Test
    void missingScoresNameTheGroup() {
        ChannelGroup first = graph.prunableGroups().get(0);
        Map<Integer, float[]> partial = new HashMap<>(scores);
        partial.remove(first.id());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> AllocationRequest.builder(model, partial).target(TargetKind.FLOPS, 0.5).build());
        assertTrue(e.getMessage().contains("missing") && e.getMessage().contains("'" + first.name() + "'"),
                e.getMessage());
    }

    @Test
    void scoresOfTheWrongLengthAreRefused() {
        ChannelGroup first = graph.prunableGroups().get(0);
        Map<Integer, float[]> wrong = new HashMap<>(scores);
        wrong.put(first.id(), new float[first.size() + 1]);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> AllocationRequest.builder(model, wrong).target(TargetKind.FLOPS, 0.5).build());
        assertTrue(e.getMessage().contains("have " + (first.size() + 1) + " values, the group has " + first.size()),
                e.getMessage());
    }

    @Test
    void nonFiniteScoresAndUnknownGroupsAreRefused() {
        ChannelGroup first = graph.prunableGroups().get(0);
        Map<Integer, float[]> nan = new HashMap<>(scores);
        float[] s = nan.get(first.id()).clone();
        s[2] = Float.NaN;
        nan.put(first.id(), s);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> AllocationRequest.builder(model, nan).target(TargetKind.FLOPS, 0.5).build());
        assertTrue(e.getMessage().contains("channel 2") && e.getMessage().contains("NaN"), e.getMessage());

        Map<Integer, float[]> unknown = new HashMap<>(scores);
        unknown.put(999, new float[3]);
        e = assertThrows(IllegalArgumentException.class,
                () -> AllocationRequest.builder(model, unknown).target(TargetKind.FLOPS, 0.5).build());
        assertTrue(e.getMessage().contains("scores name group 999"), e.getMessage());
    }

    @Test
    void aModelWithoutPrunableGroupsIsRefused() {
        // conv → pooling → flatten: the conv's channels are the classifier output, the input is fixed.
        GraphBuilder g = new GraphBuilder();
        String out = g.flatten(g.globalAvgPool(g.conv("conv", ModelSpec.INPUT, 10, 3, 1, 1)));
        ModelPackage fixed = g.build("fixed", "fixed", new InputSpec(1, 8, 8, 0, 1), 10, out, 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> AllocationRequest.builder(fixed, Map.of()).target(TargetKind.FLOPS, 0.5).build());
        assertTrue(e.getMessage().contains("no prunable channel groups"), e.getMessage());
    }

    @Test
    void badFloorsRatiosAndGraphsAreRefused() {
        assertRefused(b -> b.minChannels(0), "at least 1");
        assertRefused(b -> b.fixedRatio(1.5), "fixed pruning ratio must be in [0, 1]");
        assertRefused(b -> b.roundTo(0), "round-to must be at least 1 (1 = no rounding");
        assertRefused(b -> b.roundTo(-8), "got -8");
        assertRefused(b -> b.graph(DependencyGraph.of(ModelZoo.create("vgg-small", 1).graph())),
                "belongs to model 'vgg-small'");
    }

    @Test
    void unknownAllocatorNamesListTheKnownOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Allocators.byName("greedy"));
        assertTrue(e.getMessage().contains("'greedy'") && e.getMessage().contains("uniform, global"), e.getMessage());
        assertEquals("global", Allocators.byName("Global").name());
    }

    @Test
    void theSummaryIsOneReadableLine() {
        AllocationResult r = new AllocationResult("uniform", PruningPlan.empty(), TargetKind.FLOPS, 0.5, 1000, 496,
                2000, 1024, true);
        assertEquals("target FLOPs 50.0%, achieved 49.6% (params 51.2%)", r.summary());
        AllocationResult missed = new AllocationResult("global", PruningPlan.empty(), TargetKind.PARAMS, 0.1, 1000, 300,
                2000, 400, false);
        assertEquals("target params 10.0%, achieved 20.0% (FLOPs 30.0%), target not met", missed.summary());
    }

    private void assertRefused(UnaryOperator<AllocationRequest.Builder> edit, String expected) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> edit.apply(AllocationRequest.builder(model, scores).target(TargetKind.FLOPS, 0.5)).build());
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}

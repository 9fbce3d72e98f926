package io.prunestream.core.dependency;

import static io.prunestream.core.testing.ModelFixtures.assertClose;
import static io.prunestream.core.testing.ModelFixtures.logits;
import static io.prunestream.core.testing.ModelFixtures.randomImages;
import static io.prunestream.core.testing.ModelFixtures.randomiseBn;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prunestream.core.cost.CostModel;
import io.prunestream.core.engine.ConvolutionKernel;
import io.prunestream.core.engine.EngineNumerics;
import io.prunestream.core.engine.UnalignedChannelFault;
import io.prunestream.core.model.ModelPackage;
import io.prunestream.core.model.PackageIO;
import io.prunestream.core.zoo.ModelZoo;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ChannelSurgeryTest {

    static java.util.List<String> architectures() {
        return ModelZoo.ARCHITECTURES;
    }

    /**
     * The surgery invariant: for random groups and random kept sets, the pruned package equals
     * the original with removed channels zeroed where consumed, and survives a save/load round trip.
     */
    @ParameterizedTest
    @MethodSource("architectures")
    void prunedModelComputesWhatTheMaskedOriginalComputes(String arch, @TempDir Path dir) {
        ModelPackage original = randomiseBn(ModelZoo.create(arch, 7), new Random(3));
        DependencyGraph graph = DependencyGraph.of(original.graph());
        assertFalse(graph.prunableGroups().isEmpty(), arch + " has prunable groups");
        Random random = new Random(arch.hashCode());
        float[] images = randomImages(random, 3, original);
        for (int trial = 0; trial < 2; trial++) {
            PruningPlan plan = randomPlan(graph, random);
            ModelPackage pruned = ChannelSurgery.apply(original, graph, plan);
            ModelPackage masked = ChannelMasking.zeroRemovedAtConsumers(original, graph, plan);
            assertTrue(CostModel.of(pruned.spec()).macs() < CostModel.of(original.spec()).macs());
            assertTrue(pruned.parameterCount() < original.parameterCount());
            float[][] expected = logits(masked, images);
            float[][] actual = logits(pruned, images);
            assertClose(expected, actual, 1e-5, arch);

            Path saved = dir.resolve("trial" + trial);
            PackageIO.save(pruned, saved);
            ModelPackage reloaded = PackageIO.load(saved);
            float[][] again = logits(reloaded, images);
            for (int b = 0; b < actual.length; b++) {
                assertArrayEquals(actual[b], again[b], arch + ": reloaded outputs differ");
            }
        }
    }

    /**
     * The same invariant on a simulated faulty engine (wrong convolutions for channel counts that are
     * not multiples of 16, as oneDNN computes them on some AVX-512 CPUs): random plans produce exactly
     * those counts, and the self-check's choice of aligned execution must keep the tolerance as strict.
     */
    @ParameterizedTest
    @MethodSource("architectures")
    void prunedModelStaysExactOnAFaultyEngine(String arch) {
        try (EngineNumerics.KernelOverride faulty =
                EngineNumerics.override(new UnalignedChannelFault(ConvolutionKernel.engine()))) {
            assertEquals(EngineNumerics.Mode.ALIGNED, faulty.status().mode(), faulty.status().describe());
            ModelPackage original = randomiseBn(ModelZoo.create(arch, 7), new Random(3));
            DependencyGraph graph = DependencyGraph.of(original.graph());
            Random random = new Random(arch.hashCode() + 1);
            float[] images = randomImages(random, 3, original);
            PruningPlan plan = randomPlan(graph, random);
            float[][] expected = logits(ChannelMasking.zeroRemovedAtConsumers(original, graph, plan), images);
            float[][] actual = logits(ChannelSurgery.apply(original, graph, plan), images);
            assertClose(expected, actual, 1e-5, arch + " on a faulty engine");
        }
    }

    @Test
    void groupsOfResNet20FollowResidualStages() {
        DependencyGraph graph = DependencyGraph.of(ModelZoo.create("resnet20", 1).graph());
        // Stage 1 has no projection: stem and every block's second conv share one group.
        ChannelGroup stage1 = graph.groups().stream().filter(g -> g.name().equals("stem")).findFirst().orElseThrow();
        assertEquals(16, stage1.size());
        assertEquals(4, stage1.members(MemberRole.PRODUCER).size(), stage1.describe());
        // The input and the classifier output are never prunable.
        assertTrue(graph.groups().stream().anyMatch(g -> !g.prunable() && g.notPrunableBecause().contains("input")));
        assertTrue(graph.groups().stream().anyMatch(g -> !g.prunable() && g.notPrunableBecause().contains("classifier")));
        // Within each block the inner conv is a free group of its own.
        assertTrue(graph.prunableGroups().stream().anyMatch(g -> g.name().equals("s2b2_conv1") && g.size() == 32));
    }

    @Test
    void depthwiseConvJoinsTheGroupOfItsInput() {
        DependencyGraph graph = DependencyGraph.of(ModelZoo.create("mobilenetv2-small", 1).graph());
        ChannelGroup expand = graph.groups().stream().filter(g -> g.name().equals("ir2_expand")).findFirst().orElseThrow();
        assertEquals(1, expand.members(MemberRole.DEPTHWISE).size());
        assertEquals("ir2_dw", expand.members(MemberRole.DEPTHWISE).get(0).nodeId());
    }

    @Test
    void refusesToEmptyAGroupOrTouchTheClassifier() {
        ModelPackage pkg = ModelZoo.create("lenet", 1);
        DependencyGraph graph = DependencyGraph.of(pkg.graph());
        ChannelGroup conv1 = graph.prunableGroups().get(0);
        IllegalArgumentException empty = assertThrows(IllegalArgumentException.class,
                () -> ChannelSurgery.apply(pkg, graph, new PruningPlan(Map.of(conv1.id(), new int[0]))));
        assertTrue(empty.getMessage().contains("minimum"), empty.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> ChannelSurgery.apply(pkg, graph, new PruningPlan(Map.of(conv1.id(), new int[] {0, 1})), 3));
        ChannelGroup output = graph.groups().stream()
                .filter(g -> !g.prunable() && g.notPrunableBecause().contains("classifier")).findFirst().orElseThrow();
        IllegalArgumentException fixed = assertThrows(IllegalArgumentException.class,
                () -> ChannelSurgery.apply(pkg, graph, new PruningPlan(Map.of(output.id(), new int[] {0}))));
        assertTrue(fixed.getMessage().contains("cannot be pruned"), fixed.getMessage());
    }

    static PruningPlan randomPlan(DependencyGraph graph, Random random) {
        Map<Integer, int[]> kept = new HashMap<>();
        for (ChannelGroup g : graph.prunableGroups()) {
            if (random.nextDouble() < 0.6) {
                int keep = 1 + random.nextInt(g.size());
                if (keep == g.size() && g.size() > 1) {
                    keep--;
                }
                kept.put(g.id(), random.ints(0, g.size()).distinct().limit(keep).sorted().toArray());
            }
        }
        if (kept.isEmpty()) {
            ChannelGroup g = graph.prunableGroups().get(0);
            kept.put(g.id(), new int[] {0});
        }
        return new PruningPlan(kept);
    }
}

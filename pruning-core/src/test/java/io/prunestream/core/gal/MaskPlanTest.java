package io.prunestream.core.gal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prunestream.core.allocation.ChannelRounding;
import io.prunestream.core.dependency.ChannelGroup;
import io.prunestream.core.dependency.DependencyGraph;
import io.prunestream.core.dependency.PruningPlan;
import io.prunestream.core.exec.ModelRunner;
import io.prunestream.core.model.InputSpec;
import io.prunestream.core.model.ModelPackage;
import io.prunestream.core.zoo.ModelZoo;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class MaskPlanTest {
    static final InputSpec SMALL = new InputSpec(1, 12, 12, 0, 1);

    /** The model's logits with {@code masks} applied through the hook, as GAL's student computes them. */
    static float[] maskedLogits(ModelPackage pkg, Map<Integer, float[]> masks, float[] images, int n) {
        return maskedLogits(pkg, SoftMasks.of(pkg, MaskGranularity.CHANNELS), masks, images, n);
    }

    static float[] maskedLogits(ModelPackage pkg, SoftMasks soft, Map<Integer, float[]> masks, float[] images, int n) {
        try (ModelRunner runner = new ModelRunner(pkg)) {
            soft.load(masks, runner.manager());
            runner.block().setHook(soft.hook());
            return flat(runner.logits(images, n));
        }
    }

    static float[] logits(ModelPackage pkg, float[] images, int n) {
        try (ModelRunner runner = new ModelRunner(pkg)) {
            return flat(runner.logits(images, n));
        }
    }

    static float[] flat(float[][] rows) {
        float[] out = new float[rows.length * rows[0].length];
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(rows[i], 0, out, i * rows[i].length, rows[i].length);
        }
        return out;
    }

    static float[] images(int n, InputSpec in, long seed) {
        Random random = new Random(seed);
        float[] x = new float[n * in.channels() * in.height() * in.width()];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) random.nextGaussian();
        }
        return x;
    }

    /** Masks in (0, 2) with about a third exactly zero; one group entirely zero. */
    static Map<Integer, float[]> randomMasks(MaskSites sites, long seed) {
        Random random = new Random(seed);
        Map<Integer, float[]> masks = new LinkedHashMap<>();
        boolean oneAllZero = false;
        for (var e : sites.sites().entrySet()) {
            float[] m = new float[e.getValue().get(0).layerIndex().length];
            for (int i = 0; i < m.length; i++) {
                m[i] = oneAllZero && random.nextDouble() < 0.35 ? 0f : 0.1f + 1.9f * random.nextFloat();
            }
            if (!oneAllZero) {
                java.util.Arrays.fill(m, 0f);
                oneAllZero = true;
            }
            masks.put(e.getKey(), m);
        }
        return masks;
    }

    @ParameterizedTest
    @ValueSource(strings = {"vgg-small", "resnet20", "mobilenetv2-small", "inception-small", "lenet"})
    void foldedAndPrunedModelComputesWhatTheMaskedModelComputes(String architecture) {
        InputSpec in = architecture.equals("lenet") ? new InputSpec(1, 28, 28, 0, 1) : SMALL;
        ModelPackage model = ModelZoo.create(architecture, in, 10, 5);
        MaskSites sites = MaskSites.of(model.graph(), DependencyGraph.of(model.graph()));
        assertTrue(!sites.sites().isEmpty(), "no maskable group in " + architecture + ": " + sites.unmasked());
        Map<Integer, float[]> masks = randomMasks(sites, 11);
        ModelPackage pruned = MaskPlan.prune(model, masks, 1, ChannelRounding.NONE);
        assertTrue(pruned.parameterCount() < model.parameterCount(), architecture + " should shrink");
        float[] x = images(4, in, 3);
        float[] expected = maskedLogits(model, masks, x, 4);
        float[] actual = logits(pruned, x, 4);
        assertArrayEquals(expected, actual, 1e-4f * (1 + maxAbs(expected)), architecture);
    }

    @Test
    void planKeepsPositiveMasksAndAFloorOfChannelsForAllZeroGroups() {
        ModelPackage model = ModelZoo.create("vgg-small", SMALL, 10, 5);
        DependencyGraph graph = DependencyGraph.of(model.graph());
        int group = graph.prunableGroups().get(0).id();
        float[] zeros = new float[graph.group(group).size()];
        assertArrayEquals(new int[] {0, 1},
                MaskPlan.plan(graph, Map.of(group, zeros), 2, ChannelRounding.NONE).keptOf(group));
        float[] some = zeros.clone();
        some[3] = 0.5f;
        some[7] = 2f;
        assertArrayEquals(new int[] {3, 7},
                MaskPlan.plan(graph, Map.of(group, some), 1, ChannelRounding.NONE).keptOf(group));
    }

    @Test
    void roundToTopsUpWithZeroMaskChannelsAndLeavesSmallGroupsWhole() {
        ModelPackage model = ModelZoo.create("vgg-small", SMALL, 10, 5);
        DependencyGraph graph = DependencyGraph.of(model.graph());
        ChannelGroup first = graph.prunableGroups().get(0);
        float[] some = new float[first.size()];
        some[3] = 0.5f;
        some[7] = 2f;
        assertArrayEquals(new int[] {0, 1, 3, 7},
                MaskPlan.plan(graph, Map.of(first.id(), some), 1, 4).keptOf(first.id()));
        // A multiple beyond the group's size keeps the group whole: it is left out of the plan.
        assertTrue(MaskPlan.plan(graph, Map.of(first.id(), some), 1, first.size() + 1).kept().isEmpty());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MaskPlan.plan(graph, Map.of(first.id(), some), 1, 0));
        assertTrue(e.getMessage().contains("round-to must be at least 1"), e.getMessage());
    }

    /** The zero-mask channels kept for alignment compute nothing, so the surgery invariant still holds. */
    @ParameterizedTest
    @ValueSource(strings = {"resnet20", "mobilenetv2-small"})
    void aRoundedCutIsAlignedAndStillComputesWhatTheMaskedModelComputes(String architecture) {
        int roundTo = ChannelRounding.DEFAULT_ROUND_TO;
        ModelPackage model = ModelZoo.create(architecture, SMALL, 10, 5);
        DependencyGraph graph = DependencyGraph.of(model.graph());
        Map<Integer, float[]> masks = randomMasks(MaskSites.of(model.graph(), graph), 11);
        PruningPlan plan = MaskPlan.plan(graph, masks, 1, roundTo);
        masks.forEach((group, m) -> {
            int kept = plan.touches(group) ? plan.keptOf(group).length : m.length;
            assertTrue(kept % roundTo == 0 || kept == m.length, graph.group(group).name() + " keeps " + kept);
            for (int c = 0; c < m.length; c++) {
                int channel = c;
                assertTrue(!(m[c] > 0) || !plan.touches(group)
                        || java.util.Arrays.stream(plan.keptOf(group)).anyMatch(k -> k == channel),
                        "positive mask dropped in " + graph.group(group).name());
            }
        });
        ModelPackage pruned = MaskPlan.prune(model, masks, 1, roundTo);
        float[] x = images(4, SMALL, 3);
        float[] expected = maskedLogits(model, masks, x, 4);
        assertArrayEquals(expected, logits(pruned, x, 4), 1e-4f * (1 + maxAbs(expected)), architecture);
    }

    @Test
    void badMasksAreRefusedWithTheGroupNamed() {
        ModelPackage model = ModelZoo.create("vgg-small", SMALL, 10, 5);
        DependencyGraph graph = DependencyGraph.of(model.graph());
        int group = graph.prunableGroups().get(0).id();
        IllegalArgumentException tooShort = assertThrows(IllegalArgumentException.class,
                () -> MaskPlan.prune(model, Map.of(group, new float[] {1}), 1, ChannelRounding.NONE));
        assertTrue(tooShort.getMessage().contains(graph.group(group).name()), tooShort.getMessage());
        float[] negative = new float[graph.group(group).size()];
        negative[0] = -1;
        assertThrows(IllegalArgumentException.class,
                () -> MaskPlan.prune(model, Map.of(group, negative), 1, ChannelRounding.NONE));
        int fixed = graph.groups().stream().filter(g -> !g.prunable()).findFirst().orElseThrow().id();
        assertThrows(IllegalArgumentException.class,
                () -> MaskPlan.prune(model, Map.of(fixed, new float[graph.group(fixed).size()]), 1,
                        ChannelRounding.NONE));
    }

    @Test
    void proximalStepThresholdsToExactZeroAndNeverGoesNegative() {
        FistaMaskStep fista = new FistaMaskStep(Map.of(0, new float[] {1f, 0.05f}), 0.1, 1.0);
        fista.step(Map.of(0, new float[] {0f, 0f}));
        assertEquals(0.9f, fista.masks().get(0)[0], 1e-6);
        assertEquals(0f, fista.masks().get(0)[1]);
        for (int k = 0; k < 20; k++) {
            fista.step(Map.of(0, new float[] {-0.5f, 0f}));
            assertTrue(fista.point().get(0)[0] >= 0 && fista.masks().get(0)[1] == 0f);
        }
    }

    static float maxAbs(float[] v) {
        float max = 0;
        for (float x : v) {
            max = Math.max(max, Math.abs(x));
        }
        return max;
    }
}

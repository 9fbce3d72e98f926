package io.prunestream.core.gal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prunestream.core.model.ModelPackage;
import io.prunestream.core.zoo.ModelZoo;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BlockRemovalTest {
    /** One scalar in (0.1, 2) per block, block {@code zero} exactly zero. */
    static Map<Integer, float[]> randomBlockMasks(int blocks, int zero, long seed) {
        Random random = new Random(seed);
        Map<Integer, float[]> masks = new LinkedHashMap<>();
        for (int i = 0; i < blocks; i++) {
            masks.put(i, new float[] {i == zero ? 0f : 0.1f + 1.9f * random.nextFloat()});
        }
        return masks;
    }

    static float[] blockMaskedLogits(ModelPackage pkg, Map<Integer, float[]> masks, float[] x, int n) {
        return MaskPlanTest.maskedLogits(pkg, SoftMasks.of(pkg, MaskGranularity.BLOCKS), masks, x, n);
    }

    @Test
    void resnetBlocksAreTheAddsWithTheConvBranchNotTheProjection() {
        ModelPackage model = ModelZoo.create("resnet20", MaskPlanTest.SMALL, 10, 5);
        BlockSites sites = BlockSites.of(model.graph());
        assertEquals(9, sites.blocks().size(), "unmasked: " + sites.unmasked());
        BlockSites.Block plain = sites.blocks().get(1);
        assertEquals("s1b2_conv2_bn", plain.branchOutput());
        assertEquals(List.of("s1b2_conv1", "s1b2_conv1_bn"), plain.branchNodes().subList(0, 2));
        assertEquals(5, plain.branchNodes().size(), plain.branchNodes().toString());
        BlockSites.Block projected = sites.blocks().get(3);
        assertEquals("s2b1_add", projected.addId());
        assertEquals("s2b1_conv2_bn", projected.branchOutput());
        assertEquals("s2b1_proj_bn", projected.shortcut());
    }

    @ParameterizedTest
    @ValueSource(strings = {"resnet20", "mobilenetv2-small"})
    void removingAZeroBlockAndFoldingTheOthersKeepsTheMaskedOutput(String architecture) {
        ModelPackage model = ModelZoo.create(architecture, MaskPlanTest.SMALL, 10, 5);
        int blocks = BlockSites.of(model.graph()).blocks().size();
        assertTrue(blocks >= 2, architecture + " has " + blocks + " blocks");
        Map<Integer, float[]> masks = randomBlockMasks(blocks, 1, 7);
        ModelPackage pruned = BlockRemoval.prune(model, masks);
        assertTrue(pruned.spec().nodes().size() < model.spec().nodes().size());
        assertTrue(pruned.parameterCount() < model.parameterCount());
        assertEquals(blocks - 1, BlockSites.of(pruned.graph()).blocks().size());
        float[] x = MaskPlanTest.images(4, MaskPlanTest.SMALL, 3);
        float[] expected = blockMaskedLogits(model, masks, x, 4);
        float[] actual = MaskPlanTest.logits(pruned, x, 4);
        assertArrayEquals(expected, actual, 1e-4f * (1 + MaskPlanTest.maxAbs(expected)), architecture);
    }

    @Test
    void consecutiveZeroBlocksChainTheirShortcutsAndAllZeroLeavesTheStem() {
        ModelPackage model = ModelZoo.create("resnet20", MaskPlanTest.SMALL, 10, 5);
        Map<Integer, float[]> masks = new LinkedHashMap<>();
        for (int i = 0; i < 9; i++) {
            masks.put(i, new float[] {0f});
        }
        ModelPackage pruned = BlockRemoval.prune(model, masks);
        assertTrue(BlockSites.of(pruned.graph()).blocks().isEmpty());
        float[] x = MaskPlanTest.images(2, MaskPlanTest.SMALL, 4);
        float[] expected = blockMaskedLogits(model, masks, x, 2);
        assertArrayEquals(expected, MaskPlanTest.logits(pruned, x, 2), 1e-4f * (1 + MaskPlanTest.maxAbs(expected)));
    }

    @Test
    void badBlockMasksAreRefusedWithTheBlockNamed() {
        ModelPackage model = ModelZoo.create("resnet20", MaskPlanTest.SMALL, 10, 5);
        IllegalArgumentException outOfRange = assertThrows(IllegalArgumentException.class,
                () -> BlockRemoval.prune(model, Map.of(9, new float[] {0f})));
        assertTrue(outOfRange.getMessage().contains("9 maskable residual blocks"), outOfRange.getMessage());
        IllegalArgumentException vector = assertThrows(IllegalArgumentException.class,
                () -> BlockRemoval.prune(model, Map.of(0, new float[] {1f, 0f})));
        assertTrue(vector.getMessage().contains("s1b1_add"), vector.getMessage());
        assertThrows(IllegalArgumentException.class, () -> BlockRemoval.prune(model, Map.of(0, new float[] {-1f})));
    }
}

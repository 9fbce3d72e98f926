package io.prunestream.core.gal;

import ai.djl.ndarray.NDArray;
import io.prunestream.core.model.NodeSpec;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One non-negative scalar mask per residual block ({@link BlockSites}), multiplying the output of the
 * block's branch (its last batch-norm or conv) just before the add; mask id = the block's index.
 */
public final class SoftBlockMasks extends SoftMasks {
    private final BlockSites blocks;
    private final Map<String, Integer> blockOfBranchOutput = new HashMap<>();

    public SoftBlockMasks(BlockSites blocks) {
        this.blocks = blocks;
        for (int i = 0; i < blocks.blocks().size(); i++) {
            blockOfBranchOutput.put(blocks.blocks().get(i).branchOutput(), i);
        }
    }

    public BlockSites blocks() {
        return blocks;
    }

    @Override
    protected NDArray apply(NodeSpec node, NDArray output) {
        NDArray mask = loaded(blockOfBranchOutput.get(node.id()));
        // A one-element mask broadcasts over the whole (batch, channels, height, width) output.
        return mask == null ? output : output.mul(mask);
    }

    @Override
    public Map<Integer, float[]> ones() {
        Map<Integer, float[]> out = new LinkedHashMap<>();
        for (int i = 0; i < blocks.blocks().size(); i++) {
            out.put(i, new float[] {1f});
        }
        return out;
    }
}

package io.prunestream.core.gal;

import io.prunestream.core.model.ModelPackage;
import java.util.List;
import java.util.Map;

/**
 * The student after GAL: its weights (masks not folded in), the final masks per mask id (a channel
 * group, or a residual block for {@link MaskGranularity#BLOCKS}), and the history. {@link MaskPlan#prune}
 * (channels) or {@link BlockRemoval#prune} (blocks) turns the pair into a smaller package.
 */
public record GalResult(ModelPackage student, Map<Integer, float[]> masks, List<GalEpoch> history) {
    public GalResult {
        masks = Map.copyOf(masks);
        history = List.copyOf(history);
    }

    public GalEpoch lastEpoch() {
        return history.get(history.size() - 1);
    }

    public double maskSparsity() {
        return SoftMasks.sparsity(masks);
    }
}

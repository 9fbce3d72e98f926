package io.prunestream.core.gal;

import io.prunestream.core.model.ModelPackage;
import io.prunestream.core.model.ModelSpec;
import io.prunestream.core.model.NodeSpec;
import io.prunestream.core.model.Tensor;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns trained per-block masks ({@link SoftBlockMasks}) into a smaller package. A block whose mask is
 * exactly zero adds nothing to its shortcut, so its branch nodes and its add are removed, their
 * weights dropped, and every reader of the add (or the model's output) reads the shortcut instead. A
 * positive mask is folded into the branch's last layer (a batch-norm's gamma and beta, or a conv's
 * filter and bias, times the mask), so the result computes exactly what the masked model computes.
 * Blocks without a mask entry are left as they are (mask 1).
 */
public final class BlockRemoval {
    private BlockRemoval() {}

    /** The folded package without the zero-mask blocks. */
    public static ModelPackage prune(ModelPackage pkg, Map<Integer, float[]> masks) {
        BlockSites sites = BlockSites.of(pkg.graph());
        requireMatching(pkg, sites, masks);
        Map<String, Tensor> weights = pkg.copyWeights();
        Set<String> removed = new HashSet<>();
        Map<String, String> readInstead = new HashMap<>();
        masks.forEach((id, m) -> {
            BlockSites.Block block = sites.blocks().get(id);
            if (m[0] == 0f) {
                removed.addAll(block.branchNodes());
                removed.add(block.addId());
                readInstead.put(block.addId(), block.shortcut());
            } else {
                for (String key : MaskPlan.scaledKeys(pkg.graph().node(block.branchOutput()))) {
                    Tensor t = weights.get(key);
                    if (t != null) {
                        float[] d = t.data();
                        for (int i = 0; i < d.length; i++) {
                            d[i] *= m[0];
                        }
                    }
                }
            }
        });
        if (removed.isEmpty()) {
            return new ModelPackage(pkg.spec(), weights);
        }
        List<NodeSpec> nodes = new ArrayList<>();
        for (NodeSpec n : pkg.spec().nodes()) {
            if (!removed.contains(n.id())) {
                nodes.add(new NodeSpec(n.id(), n.op(), n.inputs().stream().map(i -> resolve(i, readInstead)).toList(),
                        n.attrs()));
            }
        }
        weights.keySet().removeIf(key -> removed.contains(key.substring(0, key.indexOf('.'))));
        ModelSpec s = pkg.spec();
        ModelSpec spec = new ModelSpec(s.formatVersion(), s.name(), s.architecture(), s.input(), s.classes(), nodes,
                resolve(s.output(), readInstead), s.info());
        return new ModelPackage(spec, weights);
    }

    /** Follows removed adds to their shortcuts (a shortcut may itself be a removed block's add). */
    private static String resolve(String id, Map<String, String> readInstead) {
        String at = id;
        while (readInstead.containsKey(at)) {
            at = readInstead.get(at);
        }
        return at;
    }

    private static void requireMatching(ModelPackage pkg, BlockSites sites, Map<Integer, float[]> masks) {
        masks.forEach((id, m) -> {
            if (id == null || id < 0 || id >= sites.blocks().size()) {
                throw new IllegalArgumentException("block mask " + id + ", but model '" + pkg.spec().name()
                        + "' has " + sites.blocks().size() + " maskable residual blocks");
            }
            String add = sites.blocks().get(id).addId();
            if (m.length != 1) {
                throw new IllegalArgumentException("mask of block '" + add + "' has " + m.length
                        + " values; a block mask is one scalar");
            }
            if (!(m[0] >= 0) || !Float.isFinite(m[0])) {
                throw new IllegalArgumentException("mask of block '" + add + "' holds " + m[0]
                        + ": masks must be finite and non-negative");
            }
        });
    }
}

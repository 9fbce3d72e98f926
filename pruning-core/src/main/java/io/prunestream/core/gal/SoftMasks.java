package io.prunestream.core.gal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.prunestream.core.dependency.DependencyGraph;
import io.prunestream.core.exec.ActivationHook;
import io.prunestream.core.model.ModelPackage;
import io.prunestream.core.model.NodeSpec;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Non-negative soft masks that GAL learns, keyed by an integer id (a channel group, or a residual
 * block) with one value per masked unit, applied through a
 * {@link io.prunestream.core.exec.PackageBlock}'s {@link ActivationHook}. The mask arrays are leaves
 * that require a gradient, so after a backward pass {@link #gradients()} holds dLoss/dmask;
 * {@link #load} replaces them with new values (new leaves, so gradients never accumulate across steps).
 * Subclasses say where the masks apply and what the all-ones start is.
 */
public abstract class SoftMasks {
    private final Map<Integer, NDArray> arrays = new LinkedHashMap<>();

    /** The masks for {@code model} at the given granularity; refuses a model with nothing to mask. */
    public static SoftMasks of(ModelPackage model, MaskGranularity granularity) {
        String name = model.spec().name();
        if (granularity == MaskGranularity.BLOCKS) {
            BlockSites blocks = BlockSites.of(model.graph());
            if (blocks.blocks().isEmpty()) {
                throw new IllegalArgumentException("GAL with one mask per residual block found no residual block in"
                        + " model '" + name + "' (an add of a shortcut and a branch ending in a batch-norm or conv)"
                        + (blocks.unmasked().isEmpty() ? "" : ": " + blocks.unmasked()));
            }
            return new SoftBlockMasks(blocks);
        }
        MaskSites sites = MaskSites.of(model.graph(), DependencyGraph.of(model.graph()));
        if (sites.sites().isEmpty()) {
            throw new IllegalArgumentException("GAL found no channel group of model '" + name + "' to mask: "
                    + sites.unmasked());
        }
        return new SoftChannelMasks(sites);
    }

    /** All-ones masks: the start of GAL, where the student is the original. */
    public abstract Map<Integer, float[]> ones();

    /** Multiplies {@code output} by the current mask when {@code node} is a mask site. */
    protected abstract NDArray apply(NodeSpec node, NDArray output);

    /** Makes {@code values} (id → one value per masked unit) the masks the hook applies. */
    public final void load(Map<Integer, float[]> values, NDManager manager) {
        arrays.values().forEach(NDArray::close);
        arrays.clear();
        values.forEach((id, v) -> {
            NDArray a = manager.create(v);
            a.setRequiresGradient(true);
            arrays.put(id, a);
        });
    }

    /** dLoss/dmask per id after a backward pass through the hooked forward. */
    public final Map<Integer, float[]> gradients() {
        Map<Integer, float[]> out = new LinkedHashMap<>();
        arrays.forEach((id, a) -> out.put(id, a.getGradient().toFloatArray()));
        return out;
    }

    /** The loaded mask of {@code id}, or {@code null} when none is loaded. */
    protected final NDArray loaded(Integer id) {
        return id == null ? null : arrays.get(id);
    }

    /** Applies the current masks at their sites. */
    public final ActivationHook hook() {
        return this::apply;
    }

    /** Fraction of mask entries that are exactly zero. */
    public static double sparsity(Map<Integer, float[]> masks) {
        long zeros = 0;
        long all = 0;
        for (float[] v : masks.values()) {
            for (float x : v) {
                zeros += x == 0f ? 1 : 0;
            }
            all += v.length;
        }
        return all == 0 ? 0 : (double) zeros / all;
    }
}

package io.prunestream.core.gal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.prunestream.core.exec.ActivationHook;
import io.prunestream.core.model.NodeSpec;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One non-negative soft mask per channel of every maskable group, applied through a
 * {@link io.prunestream.core.exec.PackageBlock}'s {@link ActivationHook}: each site's output is
 * multiplied by the mask, laid out along the site's channel axis. The mask arrays are leaves that
 * require a gradient, so after a backward pass {@link #gradients()} holds dLoss/dmask; {@link #load}
 * replaces them with new values (new leaves, so gradients never accumulate across steps).
 */
public final class SoftChannelMasks {
    private final MaskSites sites;
    private final Map<Integer, NDArray> arrays = new LinkedHashMap<>();
    /** Site node → (group, layer channel → group channel index array, made once per manager). */
    private final Map<String, Integer> groupOfSite = new HashMap<>();
    private final Map<String, int[]> gatherOfSite = new HashMap<>();

    public SoftChannelMasks(MaskSites sites) {
        this.sites = sites;
        sites.sites().forEach((group, list) -> list.forEach(site -> {
            groupOfSite.put(site.nodeId(), group);
            gatherOfSite.put(site.nodeId(), site.groupChannelOfLayerChannel());
        }));
    }

    public MaskSites sites() {
        return sites;
    }

    /** Makes the masks {@code values} (group → one value per group channel) the ones the hook applies. */
    public void load(Map<Integer, float[]> values, NDManager manager) {
        arrays.values().forEach(NDArray::close);
        arrays.clear();
        values.forEach((group, v) -> {
            NDArray a = manager.create(v);
            a.setRequiresGradient(true);
            arrays.put(group, a);
        });
    }

    /** dLoss/dmask per group after a backward pass through the hooked forward. */
    public Map<Integer, float[]> gradients() {
        Map<Integer, float[]> out = new LinkedHashMap<>();
        arrays.forEach((group, a) -> out.put(group, a.getGradient().toFloatArray()));
        return out;
    }

    /** Multiplies every site's output by its group's current mask. */
    public ActivationHook hook() {
        return this::apply;
    }

    private NDArray apply(NodeSpec node, NDArray output) {
        Integer group = groupOfSite.get(node.id());
        if (group == null || !arrays.containsKey(group)) {
            return output;
        }
        NDArray mask = arrays.get(group);
        int[] gather = gatherOfSite.get(node.id());
        if (!isIdentity(gather)) {
            long[] idx = new long[gather.length];
            for (int c = 0; c < gather.length; c++) {
                idx[c] = gather[c];
            }
            mask = mask.get(output.getManager().create(idx));
        }
        long[] shape = new long[output.getShape().dimension()];
        java.util.Arrays.fill(shape, 1);
        shape[1] = gather.length;
        return output.mul(mask.reshape(new Shape(shape)));
    }

    private static boolean isIdentity(int[] gather) {
        for (int i = 0; i < gather.length; i++) {
            if (gather[i] != i) {
                return false;
            }
        }
        return true;
    }

    /** All-ones masks for every maskable group: the start of GAL, where the student is the original. */
    public static Map<Integer, float[]> ones(MaskSites sites) {
        Map<Integer, float[]> out = new LinkedHashMap<>();
        sites.sites().forEach((group, list) -> {
            float[] v = new float[list.get(0).layerIndex().length];
            java.util.Arrays.fill(v, 1f);
            out.put(group, v);
        });
        return out;
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

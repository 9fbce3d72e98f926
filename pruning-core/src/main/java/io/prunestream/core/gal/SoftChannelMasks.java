package io.prunestream.core.gal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import io.prunestream.core.model.NodeSpec;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One non-negative soft mask per channel of every maskable group ({@link MaskSites}): each site's
 * output is multiplied by its group's mask, laid out along the site's channel axis.
 */
public final class SoftChannelMasks extends SoftMasks {
    private final MaskSites sites;
    /** Site node → its group, and layer channel → group channel. */
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

    @Override
    protected NDArray apply(NodeSpec node, NDArray output) {
        Integer group = groupOfSite.get(node.id());
        NDArray mask = loaded(group);
        if (mask == null) {
            return output;
        }
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

    @Override
    public Map<Integer, float[]> ones() {
        Map<Integer, float[]> out = new LinkedHashMap<>();
        sites.sites().forEach((group, list) -> {
            float[] v = new float[list.get(0).layerIndex().length];
            java.util.Arrays.fill(v, 1f);
            out.put(group, v);
        });
        return out;
    }
}

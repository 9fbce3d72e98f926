package io.prunestream.core.gal;

import io.prunestream.core.dependency.ChannelGroup;
import io.prunestream.core.dependency.DependencyGraph;
import io.prunestream.core.dependency.GroupMember;
import io.prunestream.core.dependency.MemberRole;
import io.prunestream.core.model.ModelGraph;
import io.prunestream.core.model.Op;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where a channel group's soft mask multiplies the network: at the output of every layer that
 * creates the group's channels (producers, and depthwise convs that carry them), after that layer's
 * batch-norm when the BN is its only reader. Multiplying there is what folding can reproduce exactly
 * (a BN's gamma and beta, or a conv/linear layer's filter and bias, times the mask), and a zero mask
 * makes the channel zero at every consumer, since between a site and a consumer only operators that
 * keep zeros at zero remain (ReLU, pooling, add of other masked sites, concat, flatten, dropout).
 *
 * <p>A group is left unmasked (with a reason) when it cannot be pruned, when one of its layers also
 * carries other groups' channels, or when it has a batch-norm that is not right after a producer
 * (a BN there would turn a zero channel into a constant).
 */
public final class MaskSites {
    /**
     * One place a group's mask is applied.
     *
     * @param nodeId the node whose output is multiplied
     * @param layerIndex for each group channel, its position on that output's channel axis
     */
    public record Site(String nodeId, int[] layerIndex) {
        public Site {
            layerIndex = layerIndex.clone();
        }

        @Override
        public int[] layerIndex() {
            return layerIndex.clone();
        }

        /** For each channel of the site's output, the group channel it holds. */
        int[] groupChannelOfLayerChannel() {
            int[] inverse = new int[layerIndex.length];
            for (int g = 0; g < layerIndex.length; g++) {
                inverse[layerIndex[g]] = g;
            }
            return inverse;
        }
    }

    private final Map<Integer, List<Site>> sites;
    private final Map<Integer, String> unmasked;

    private MaskSites(Map<Integer, List<Site>> sites, Map<Integer, String> unmasked) {
        this.sites = Collections.unmodifiableMap(sites);
        this.unmasked = Collections.unmodifiableMap(unmasked);
    }

    public static MaskSites of(ModelGraph model, DependencyGraph graph) {
        Map<Integer, List<Site>> sites = new LinkedHashMap<>();
        Map<Integer, String> unmasked = new LinkedHashMap<>();
        for (ChannelGroup group : graph.groups()) {
            if (!group.prunable()) {
                unmasked.put(group.id(), group.notPrunableBecause());
                continue;
            }
            List<Site> found = new ArrayList<>();
            String why = null;
            for (GroupMember m : group.members()) {
                if (m.role() != MemberRole.PRODUCER && m.role() != MemberRole.DEPTHWISE) {
                    continue;
                }
                String node = normedOutput(model, m.nodeId());
                if (model.shape(node)[0] != group.size()) {
                    why = "layer '" + m.nodeId() + "' also carries channels of other groups";
                }
                found.add(new Site(node, m.layerIndex()));
            }
            for (GroupMember norm : group.members(MemberRole.NORM)) {
                if (found.stream().noneMatch(s -> s.nodeId().equals(norm.nodeId()))) {
                    why = "batch-norm '" + norm.nodeId() + "' does not directly follow a layer of the group";
                }
            }
            if (why == null) {
                sites.put(group.id(), List.copyOf(found));
            } else {
                unmasked.put(group.id(), why);
            }
        }
        return new MaskSites(sites, unmasked);
    }

    private static String normedOutput(ModelGraph model, String node) {
        List<String> readers = model.consumers(node);
        return readers.size() == 1 && model.node(readers.get(0)).op() == Op.BATCHNORM ? readers.get(0) : node;
    }

    /** Group id → where its mask applies, for every maskable group. */
    public Map<Integer, List<Site>> sites() {
        return sites;
    }

    /** Group id → why it carries no mask. */
    public Map<Integer, String> unmasked() {
        return unmasked;
    }
}

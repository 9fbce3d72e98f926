package io.prunestream.core.importance;

import io.prunestream.core.dependency.ChannelGroup;
import io.prunestream.core.dependency.GroupMember;
import io.prunestream.core.dependency.MemberRole;
import io.prunestream.core.model.ModelGraph;
import io.prunestream.core.model.NodeSpec;
import io.prunestream.core.model.Op;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Where data-driven criteria look at a group's channels, and how they fold several such places into
 * one score per group channel.
 *
 * <p><b>Activation sites</b> ("after the activation"): from the output of every producer and every
 * depthwise member, the forward pass is followed while the tensor has a single reader that is a
 * batch-norm, an {@code add} or a dropout, and stops after the first ReLU/ReLU6. So conv→BN→ReLU is
 * measured after the ReLU, and in a residual group, whose producers meet in an {@code add}, each
 * producer is measured after the ReLU that follows the add (the stem after its own ReLU). A walk that
 * meets no rectifier (MobileNetV2's linear bottlenecks) ends on the last tensor reached, measured
 * as is. Distinct tensors are kept once; producers that meet in the same add share one site.
 *
 * <p><b>Folded producer outputs</b>: each producer's output after its own batch-norm, if any, before
 * any add or activation (see {@link TaylorWeightCriterion}).
 *
 * <p><b>Consumer inputs</b>: the tensors that consumers and depthwise convs read, i.e. where removing a
 * channel takes effect (see {@link ChannelRemovalLoss}).
 *
 * <p>A group's score is the mean, over its sites, of each site's per-channel value, the same rule
 * {@link GroupReduction} applies to members: every site witnesses the same channel.
 */
public final class GroupSites {
    private GroupSites() {}

    static List<ChannelSite> activationSites(ModelGraph graph, ChannelGroup group) {
        Map<String, ChannelSite> sites = new LinkedHashMap<>();
        for (GroupMember m : group.members()) {
            if (m.role() == MemberRole.PRODUCER || m.role() == MemberRole.DEPTHWISE) {
                String tensor = walkToActivation(graph, m.nodeId());
                sites.putIfAbsent(tensor, new ChannelSite(tensor, m.layerIndex(), 1));
            }
        }
        return List.copyOf(sites.values());
    }

    /**
     * Each producer's output as the affine layer inference runs: after its batch-norm when a BN is the
     * producer's only reader (conv and BN fold into one filter), else the producer's own output.
     */
    static List<ChannelSite> foldedProducerOutputs(ModelGraph graph, ChannelGroup group) {
        return group.members(MemberRole.PRODUCER).stream().map(m -> {
            List<String> readers = graph.consumers(m.nodeId());
            boolean normed = readers.size() == 1 && graph.node(readers.get(0)).op() == Op.BATCHNORM;
            return new ChannelSite(normed ? readers.get(0) : m.nodeId(), m.layerIndex(), 1);
        }).toList();
    }

    public static List<ChannelSite> consumerInputs(ModelGraph graph, ChannelGroup group) {
        Map<String, ChannelSite> sites = new LinkedHashMap<>();
        for (GroupMember m : group.members()) {
            if (m.role() == MemberRole.CONSUMER || m.role() == MemberRole.DEPTHWISE) {
                String tensor = graph.node(m.nodeId()).input();
                // Readers of one tensor index its channel axis alike, so the first reader describes it.
                sites.putIfAbsent(tensor, new ChannelSite(tensor, m.layerIndex(), m.span()));
            }
        }
        return List.copyOf(sites.values());
    }

    private static String walkToActivation(ModelGraph graph, String start) {
        String tensor = start;
        while (true) {
            List<String> readers = graph.consumers(tensor);
            if (readers.size() != 1) {
                return tensor;
            }
            NodeSpec next = graph.node(readers.get(0));
            switch (next.op()) {
                case RELU, RELU6 -> {
                    return next.id();
                }
                case BATCHNORM, ADD, DROPOUT -> tensor = next.id();
                default -> {
                    return tensor;
                }
            }
        }
    }

    /** Mean over {@code sites} of {@code perTensor} (indexed along each site tensor's axis 1) per group channel. */
    static double[] average(ChannelGroup group, List<ChannelSite> sites, Function<ChannelSite, double[]> perTensor) {
        return GroupReduction.meanOver(group, sites, ChannelSite::indexOf, perTensor, "no observed tensor");
    }

    /** The distinct tensor ids of several groups' sites, in first-seen order. */
    static List<String> tensors(Map<Integer, List<ChannelSite>> sitesByGroup) {
        List<String> ids = new ArrayList<>();
        sitesByGroup.values().forEach(list -> list.forEach(s -> {
            if (!ids.contains(s.tensorId())) {
                ids.add(s.tensorId());
            }
        }));
        return ids;
    }
}

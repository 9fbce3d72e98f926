package io.prunestream.core.search;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import io.prunestream.core.allocation.ChannelOrder;
import io.prunestream.core.data.ImageDataset;
import io.prunestream.core.dependency.ChannelGroup;
import io.prunestream.core.dependency.GroupMember;
import io.prunestream.core.dependency.MemberRole;
import io.prunestream.core.exec.ActivationHook;
import io.prunestream.core.exec.ModelRunner;
import io.prunestream.core.importance.ChannelSite;
import io.prunestream.core.importance.GroupSites;
import io.prunestream.core.model.ModelGraph;
import io.prunestream.core.model.ModelPackage;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * AOFP's judge: how much removing a group's {@code k} lowest-ranked channels changes the output of the
 * next layers, on a data sample, in inference mode. The channels are zeroed in every tensor the group's
 * consumers read (what surgery computes, see {@link io.prunestream.core.dependency.ChannelMasking}); the
 * damage is the relative Frobenius change {@code ||Y' - Y|| / ||Y||} of the outputs of the group's
 * consumer and depthwise layers, pooled over them and the sample. Each group is judged alone, one
 * forward pass per group and batch beside one unchanged pass.
 */
public final class FeatureMapDamage {
    private final ImageDataset sample;
    private final int batchSize;

    public FeatureMapDamage(ImageDataset sample, int batchSize) {
        if (sample.size() == 0 || batchSize < 1) {
            throw new IllegalArgumentException("feature-map damage needs images and a positive batch size");
        }
        this.sample = sample;
        this.batchSize = batchSize;
    }

    /** Damage per group id of removing {@code removals.get(id)} lowest-ranked channels of that group. */
    public Map<Integer, Double> measure(ModelPackage model, ChannelOrder order, Map<Integer, Integer> removals) {
        ModelGraph graph = model.graph();
        Map<Integer, Integer> indexOf = new HashMap<>();
        for (int i = 0; i < order.count(); i++) {
            indexOf.put(order.group(i).id(), i);
        }
        Map<Integer, double[]> sums = new LinkedHashMap<>();
        Set<String> watched = new java.util.HashSet<>();
        removals.keySet().forEach(id -> {
            sums.put(id, new double[2]);
            watched.addAll(readers(order.group(indexOf.get(id))));
        });
        try (ModelRunner runner = new ModelRunner(model)) {
            for (ImageDataset.Batch batch : sample.batches(runner.manager(), batchSize, false, 0)) {
                try (batch) {
                    Map<String, NDArray> base = outputs(runner, batch.images(), watched, null);
                    for (Map.Entry<Integer, Integer> e : removals.entrySet()) {
                        int i = indexOf.get(e.getKey());
                        ChannelGroup group = order.group(i);
                        int[] removed = new int[e.getValue()];
                        for (int r = 0; r < removed.length; r++) {
                            removed[r] = order.channelAt(i, order.size(i) - 1 - r);
                        }
                        List<ChannelSite> sites = GroupSites.consumerInputs(graph, group);
                        Set<String> mine = readers(group);
                        Map<String, NDArray> cut = outputs(runner, batch.images(), mine, zeroing(batch, sites, removed));
                        double[] s = sums.get(e.getKey());
                        for (String id : mine) {
                            s[0] += cut.get(id).sub(base.get(id)).square().sum().getFloat();
                            s[1] += base.get(id).square().sum().getFloat();
                        }
                    }
                }
            }
        }
        Map<Integer, Double> damage = new LinkedHashMap<>();
        sums.forEach((id, s) -> damage.put(id, s[1] == 0 ? (s[0] == 0 ? 0 : Double.POSITIVE_INFINITY)
                : Math.sqrt(s[0] / s[1])));
        return damage;
    }

    /** The layers that read the group's channels: its consumers and depthwise convs. */
    private static Set<String> readers(ChannelGroup group) {
        return group.members().stream().filter(m -> m.role() == MemberRole.CONSUMER || m.role() == MemberRole.DEPTHWISE)
                .map(GroupMember::nodeId).collect(Collectors.toSet());
    }

    private static Map<String, NDArray> outputs(ModelRunner runner, NDArray images, Set<String> ids, ActivationHook hook) {
        Map<String, NDArray> all = runner.block().forwardNodes(runner.store(), images, false, hook);
        Map<String, NDArray> out = new HashMap<>();
        ids.forEach(id -> out.put(id, all.get(id)));
        return out;
    }

    private static ActivationHook zeroing(ImageDataset.Batch batch, List<ChannelSite> sites, int[] removed) {
        Map<String, ChannelSite> byTensor = new HashMap<>();
        sites.forEach(s -> byTensor.put(s.tensorId(), s));
        return (node, out) -> {
            ChannelSite site = byTensor.get(node.id());
            if (site == null || removed.length == 0) {
                return out;
            }
            long[] shape = out.getShape().getShape();
            int width = Math.toIntExact(shape[1]);
            float[] keep = new float[width];
            Arrays.fill(keep, 1f);
            for (int c : removed) {
                int at = site.indexOf(c);
                if (at >= 0) {
                    Arrays.fill(keep, at * site.span(), (at + 1) * site.span(), 0f);
                }
            }
            long[] maskShape = new long[shape.length];
            Arrays.fill(maskShape, 1);
            maskShape[1] = width;
            return out.mul(batch.manager().create(keep, new Shape(maskShape)));
        };
    }
}

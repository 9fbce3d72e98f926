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
import io.prunestream.core.model.ModelSpec;
import io.prunestream.core.model.NodeSpec;
import io.prunestream.core.model.Op;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * AOFP's judge: how much removing a set of a group's channels changes the output of the next layers,
 * on a data sample. The channels are zeroed in every tensor the group's consumers read (what surgery
 * computes, see {@link io.prunestream.core.dependency.ChannelMasking}); the damage is the relative
 * Frobenius change {@code ||Y' - Y|| / ||Y||} of the outputs of the group's consumer and depthwise
 * layers, pooled over them and the sample. BN runs in training mode, on each pass's own batch
 * statistics, as during the training the paper measures damage in: a removal is then judged after the
 * recalibration adaptive BN would give it, not against statistics of channels that are gone. Each
 * removal set is judged alone, one forward pass per set and batch beside one unchanged pass.
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

    /**
     * Damage of removing each channel set, per group id: {@code removals.get(id).get(k)} are channels
     * of that group (indices within the group), and the result's {@code [k]} is their damage.
     */
    public Map<Integer, double[]> measure(ModelPackage model, ChannelOrder order, Map<Integer, List<int[]>> removals) {
        ModelGraph graph = model.graph();
        Map<Integer, Integer> indexOf = new HashMap<>();
        for (int i = 0; i < order.count(); i++) {
            indexOf.put(order.group(i).id(), i);
        }
        Map<Integer, double[][]> sums = new LinkedHashMap<>();
        Set<String> watched = new java.util.HashSet<>();
        removals.forEach((id, sets) -> {
            sums.put(id, new double[sets.size()][2]);
            watched.addAll(readers(order.group(indexOf.get(id))));
        });
        // Training mode is for BN's batch statistics only: dropout would draw new masks in every pass.
        try (ModelRunner runner = new ModelRunner(withoutDropout(model))) {
            for (ImageDataset.Batch batch : sample.batches(runner.manager(), batchSize, false, 0)) {
                try (batch) {
                    Map<String, NDArray> base = outputs(runner, batch.images(), watched, null);
                    for (Map.Entry<Integer, List<int[]>> e : removals.entrySet()) {
                        ChannelGroup group = order.group(indexOf.get(e.getKey()));
                        List<ChannelSite> sites = GroupSites.consumerInputs(graph, group);
                        Set<String> mine = readers(group);
                        for (int k = 0; k < e.getValue().size(); k++) {
                            Map<String, NDArray> cut = outputs(runner, batch.images(), mine,
                                    zeroing(batch, sites, e.getValue().get(k)));
                            double[] s = sums.get(e.getKey())[k];
                            for (String id : mine) {
                                s[0] += cut.get(id).sub(base.get(id)).square().sum().getFloat();
                                s[1] += base.get(id).square().sum().getFloat();
                            }
                        }
                    }
                }
            }
        }
        Map<Integer, double[]> damage = new LinkedHashMap<>();
        sums.forEach((id, perSet) -> {
            double[] d = new double[perSet.length];
            for (int k = 0; k < d.length; k++) {
                double[] s = perSet[k];
                d[k] = s[1] == 0 ? (s[0] == 0 ? 0 : Double.POSITIVE_INFINITY) : Math.sqrt(s[0] / s[1]);
            }
            damage.put(id, d);
        });
        return damage;
    }

    /** The model with every dropout node bypassed (its inference-mode meaning). */
    static ModelPackage withoutDropout(ModelPackage model) {
        ModelSpec spec = model.spec();
        Map<String, String> bypass = new HashMap<>();
        for (NodeSpec n : spec.nodes()) {
            if (n.op() == Op.DROPOUT) {
                bypass.put(n.id(), bypass.getOrDefault(n.input(), n.input()));
            }
        }
        if (bypass.isEmpty()) {
            return model;
        }
        List<NodeSpec> nodes = spec.nodes().stream().filter(n -> n.op() != Op.DROPOUT)
                .map(n -> new NodeSpec(n.id(), n.op(), n.inputs().stream().map(i -> bypass.getOrDefault(i, i)).toList(),
                        n.attrs()))
                .toList();
        return new ModelPackage(new ModelSpec(spec.formatVersion(), spec.name(), spec.architecture(), spec.input(),
                spec.classes(), nodes, bypass.getOrDefault(spec.output(), spec.output()), spec.info()), model.weights());
    }

    /** The layers that read the group's channels: its consumers and depthwise convs. */
    private static Set<String> readers(ChannelGroup group) {
        return group.members().stream().filter(m -> m.role() == MemberRole.CONSUMER || m.role() == MemberRole.DEPTHWISE)
                .map(GroupMember::nodeId).collect(Collectors.toSet());
    }

    private static Map<String, NDArray> outputs(ModelRunner runner, NDArray images, Set<String> ids, ActivationHook hook) {
        Map<String, NDArray> all = runner.block().forwardNodes(runner.store(), images, true, hook);
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

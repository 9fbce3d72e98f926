package io.prunestream.core.importance;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.prunestream.core.data.ImageDataset;
import io.prunestream.core.dependency.ChannelGroup;
import io.prunestream.core.exec.ActivationHook;
import io.prunestream.core.exec.ModelRunner;
import io.prunestream.core.model.ModelGraph;
import io.prunestream.core.model.ModelSpec;
import io.prunestream.core.model.NodeSpec;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The exact change of the mean cross-entropy on the calibration sample when one channel is removed,
 * for every channel of the given groups, in inference mode.
 *
 * <p>A channel is removed by zeroing it in every tensor its consumers and depthwise convs read
 * ({@link GroupSites#consumerInputs}). That computes the same logits as
 * {@link io.prunestream.core.dependency.ChannelMasking}, and hence as surgery: the other channels are
 * untouched (every op between sites is channel-wise), and every weighted reader of the removed channel
 * sees zero, as if its weights for it were zero. Where such a tensor also passes the channel on (into
 * an {@code add} or a concat) only values change that no weight reads again.
 *
 * <p>Speed comes from replication, not approximation: one forward pass carries the batch once
 * unchanged and once per removed channel, stacked along the batch axis, and the part of the network
 * before the group's sites runs once and is replicated only where the sites begin. Comparing each
 * replica with the unchanged one of the same pass means a channel nothing reads scores exactly 0.
 */
final class ChannelRemovalLoss {
    private final int maxImagesPerPass;

    ChannelRemovalLoss(int maxImagesPerPass) {
        if (maxImagesPerPass < 1) {
            throw new IllegalArgumentException("images per pass must be at least 1, got " + maxImagesPerPass);
        }
        this.maxImagesPerPass = maxImagesPerPass;
    }

    /** Per group id, per group channel: mean loss without the channel minus mean loss with it. */
    Map<Integer, double[]> increases(ScoringContext context, List<ChannelGroup> groups) {
        CalibrationData data = context.calibration();
        ModelGraph graph = context.model().graph();
        Map<ChannelGroup, Replication> plans = new LinkedHashMap<>();
        groups.forEach(g -> plans.put(g, new Replication(graph, GroupSites.consumerInputs(graph, g))));
        Map<Integer, double[]> sums = new LinkedHashMap<>();
        groups.forEach(g -> sums.put(g.id(), new double[g.size()]));
        try (ModelRunner runner = new ModelRunner(context.model())) {
            for (ImageDataset.Batch batch : data.sample().batches(runner.manager(), data.batchSize(), false, 0)) {
                try (batch) {
                    int[] labels = CrossEntropy.labels(batch.labels());
                    int channelsPerPass = Math.max(1, maxImagesPerPass / batch.size() - 1);
                    plans.forEach((group, plan) -> {
                        for (int from = 0; from < group.size(); from += channelsPerPass) {
                            int to = Math.min(group.size(), from + channelsPerPass);
                            try (NDManager pass = batch.manager().newSubManager()) {
                                addIncreases(runner, batch.images(), pass, plan, from, to, labels,
                                        sums.get(group.id()));
                            }
                        }
                    });
                }
            }
        }
        int n = data.sample().size();
        sums.values().forEach(s -> Arrays.setAll(s, c -> s[c] / n));
        return sums;
    }

    /** Adds, for channels {@code [from, to)}, the batch's summed loss without the channel minus with it. */
    private static void addIncreases(ModelRunner runner, NDArray images, NDManager pass, Replication plan,
            int from, int to, int[] labels, double[] sum) {
        int replicas = 1 + (to - from);
        long n = images.getShape().get(0);
        ActivationHook hook = (node, out) -> {
            NDArray y = out;
            if (plan.replicates(node.id()) && y.getShape().get(0) == n) {
                y = replicate(y, replicas);
            }
            ChannelSite site = plan.site(node.id());
            return site == null ? y : zeroRemoved(pass, y, site, replicas, from);
        };
        // Results join their first operand's manager: a copy of the input in the pass's manager makes
        // the whole pass, replicas included, freed when the pass ends rather than with the batch.
        NDArray x = images.duplicate();
        x.attach(pass);
        if (plan.replicates(ModelSpec.INPUT)) {
            x = replicate(x, replicas);
        }
        ModelSpec spec = runner.block().graph().spec();
        NDArray logits = runner.block().forwardOutput(runner.store(), x, false, hook);
        float[] flat = logits.toFloatArray();
        int count = Math.toIntExact(n);
        double base = CrossEntropy.sum(flat, 0, count, spec.classes(), labels);
        // A group that never reaches the output leaves the logits unreplicated: removal changes nothing.
        boolean replicated = logits.getShape().get(0) == replicas * n;
        for (int r = 1; r < replicas; r++) {
            double without = replicated ? CrossEntropy.sum(flat, r * count, count, spec.classes(), labels) : base;
            sum[from + r - 1] += without - base;
        }
    }

    /** {@code replicas} copies of {@code y} stacked along axis 0 (PyTorch's DJL lacks the per-axis tile). */
    private static NDArray replicate(NDArray y, int replicas) {
        long[] repeats = new long[y.getShape().dimension()];
        Arrays.fill(repeats, 1);
        repeats[0] = replicas;
        return y.tile(repeats);
    }

    /** Zeroes, in replica {@code r ≥ 1} of {@code y}, the positions of group channel {@code from + r - 1}. */
    private static NDArray zeroRemoved(NDManager manager, NDArray y, ChannelSite site, int replicas, int from) {
        Shape shape = y.getShape();
        int width = Math.toIntExact(shape.get(1));
        float[] keep = new float[replicas * width];
        Arrays.fill(keep, 1f);
        for (int r = 1; r < replicas; r++) {
            int at = site.indexOf(from + r - 1);
            if (at >= 0) {
                Arrays.fill(keep, r * width + at * site.span(), r * width + (at + 1) * site.span(), 0f);
            }
        }
        long positions = shape.size() / (shape.get(0) * width);
        NDArray mask = manager.create(keep, new Shape(replicas, 1, width, 1));
        return y.reshape(replicas, shape.get(0) / replicas, width, positions).mul(mask).reshape(shape);
    }

    /**
     * Which tensors are computed once per replica: the sites and everything they feed, plus whatever a
     * replicated node reads next to a replicated input, because a node may not mix replicated and
     * unreplicated inputs; the set grows until no node does. Nodes outside it run once; the hook
     * replicates the outputs of the set's entry points.
     */
    private static final class Replication {
        private final Map<String, ChannelSite> sites = new HashMap<>();
        private final Set<String> replicated = new HashSet<>();

        Replication(ModelGraph graph, List<ChannelSite> siteList) {
            siteList.forEach(s -> sites.put(s.tensorId(), s));
            Set<String> entries = new HashSet<>(sites.keySet());
            boolean grown = true;
            while (grown) {
                replicated.clear();
                if (entries.contains(ModelSpec.INPUT)) {
                    replicated.add(ModelSpec.INPUT);
                }
                for (NodeSpec n : graph.order()) {
                    if (entries.contains(n.id()) || n.inputs().stream().anyMatch(replicated::contains)) {
                        replicated.add(n.id());
                    }
                }
                grown = false;
                for (NodeSpec n : graph.order()) {
                    // An entry may read only unreplicated inputs (it replicates its own output), never a mix.
                    if (replicated.contains(n.id()) && n.inputs().stream().anyMatch(replicated::contains)) {
                        for (String in : n.inputs()) {
                            grown |= !replicated.contains(in) && entries.add(in);
                        }
                    }
                }
            }
        }

        boolean replicates(String tensorId) {
            return replicated.contains(tensorId);
        }

        ChannelSite site(String nodeId) {
            return sites.get(nodeId);
        }
    }
}

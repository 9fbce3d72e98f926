package io.prunestream.core.model;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A checked view of a {@link ModelSpec}: nodes in topological order, the shape each node produces
 * (per sample: {@code [C, H, W]} for feature maps, {@code [F]} for vectors) and the shape every weight
 * must have. Building one is the structural validation of a package: unknown references, cycles,
 * wrong arity and inconsistent shapes fail here with the node named.
 */
public final class ModelGraph {
    private final ModelSpec spec;
    private final List<NodeSpec> order;
    private final Map<String, int[]> shapes;
    private final Map<String, int[]> weightShapes;
    private final Map<String, List<String>> consumers;

    private ModelGraph(ModelSpec spec, List<NodeSpec> order, Map<String, int[]> shapes,
            Map<String, int[]> weightShapes, Map<String, List<String>> consumers) {
        this.spec = spec;
        this.order = order;
        this.shapes = shapes;
        this.weightShapes = weightShapes;
        this.consumers = consumers;
    }

    public static ModelGraph of(ModelSpec spec) {
        if (spec.formatVersion() != ModelSpec.FORMAT_VERSION) {
            throw new ModelFormatException("unsupported model format version " + spec.formatVersion()
                    + " (this build reads version " + ModelSpec.FORMAT_VERSION + ")");
        }
        InputSpec in = spec.input();
        if (in == null || in.channels() <= 0 || in.height() <= 0 || in.width() <= 0) {
            throw new ModelFormatException("model.json: input shape must be positive channels, height, width");
        }
        if (spec.classes() <= 0) {
            throw new ModelFormatException("model.json: classes must be positive, got " + spec.classes());
        }
        Map<String, NodeSpec> byId = new LinkedHashMap<>();
        for (NodeSpec n : spec.nodes()) {
            if (n.id() == null || n.id().isBlank() || n.id().equals(ModelSpec.INPUT) || n.id().contains(".")) {
                throw new ModelFormatException("node id '" + n.id() + "' is not allowed (blank, '" + ModelSpec.INPUT
                        + "' or containing '.')");
            }
            if (byId.put(n.id(), n) != null) {
                throw new ModelFormatException("node '" + n.id() + "' is defined twice");
            }
            if (n.op() == null) {
                throw new ModelFormatException("node '" + n.id() + "' has no op");
            }
            if (!n.op().acceptsInputs(n.inputs().size())) {
                throw new ModelFormatException("node '" + n.id() + "' (" + n.op().key() + ") takes "
                        + n.op().arityText() + " inputs, has " + n.inputs().size());
            }
            for (String src : n.inputs()) {
                if (!src.equals(ModelSpec.INPUT) && spec.nodes().stream().noneMatch(m -> m.id().equals(src))) {
                    throw new ModelFormatException("node '" + n.id() + "' reads '" + src + "', which does not exist");
                }
            }
        }
        if (spec.output() == null || !byId.containsKey(spec.output())) {
            throw new ModelFormatException("model.json: output '" + spec.output() + "' is not a node");
        }
        List<NodeSpec> order = topologicalOrder(byId);
        Map<String, int[]> shapes = new HashMap<>();
        Map<String, int[]> weightShapes = new LinkedHashMap<>();
        shapes.put(ModelSpec.INPUT, in.shape());
        for (NodeSpec n : order) {
            shapes.put(n.id(), inferShape(n, shapes, weightShapes));
        }
        int[] out = shapes.get(spec.output());
        if (out.length != 1 || out[0] != spec.classes()) {
            throw new ModelFormatException("output node '" + spec.output() + "' produces " + Arrays.toString(out)
                    + " but the model declares " + spec.classes() + " classes");
        }
        Map<String, List<String>> consumers = new HashMap<>();
        for (NodeSpec n : order) {
            for (String src : n.inputs()) {
                consumers.computeIfAbsent(src, k -> new ArrayList<>()).add(n.id());
            }
        }
        return new ModelGraph(spec, List.copyOf(order), shapes, weightShapes, consumers);
    }

    private static List<NodeSpec> topologicalOrder(Map<String, NodeSpec> byId) {
        Map<String, Integer> pending = new HashMap<>();
        Map<String, List<String>> users = new HashMap<>();
        for (NodeSpec n : byId.values()) {
            int deps = 0;
            for (String src : n.inputs()) {
                if (!src.equals(ModelSpec.INPUT)) {
                    deps++;
                    users.computeIfAbsent(src, k -> new ArrayList<>()).add(n.id());
                }
            }
            pending.put(n.id(), deps);
        }
        Deque<String> ready = new ArrayDeque<>();
        // Keep the file's order among ready nodes so that outputs are reproducible.
        byId.keySet().stream().filter(id -> pending.get(id) == 0).forEach(ready::add);
        List<NodeSpec> order = new ArrayList<>();
        while (!ready.isEmpty()) {
            String id = ready.poll();
            order.add(byId.get(id));
            for (String u : users.getOrDefault(id, List.of())) {
                if (pending.merge(u, -1, Integer::sum) == 0) {
                    ready.add(u);
                }
            }
        }
        if (order.size() != byId.size()) {
            Set<String> done = new HashSet<>();
            order.forEach(n -> done.add(n.id()));
            String stuck = byId.keySet().stream().filter(id -> !done.contains(id)).findFirst().orElseThrow();
            throw new ModelFormatException("the graph has a cycle through node '" + stuck + "'");
        }
        return order;
    }

    private static int[] inferShape(NodeSpec n, Map<String, int[]> shapes, Map<String, int[]> weights) {
        int[] x = shapes.get(n.input());
        String id = n.id();
        switch (n.op()) {
            case CONV2D -> {
                requireMap(n, x);
                int out = positive(n, "out_channels", n.intAttr("out_channels"));
                int k = positive(n, "kernel", n.intAttr("kernel"));
                int stride = positive(n, "stride", n.intAttr("stride", 1));
                int pad = n.intAttr("padding", 0);
                int groups = positive(n, "groups", n.intAttr("groups", 1));
                if (x[0] % groups != 0 || out % groups != 0) {
                    throw new ModelFormatException("node '" + id + "': groups=" + groups + " must divide input channels "
                            + x[0] + " and out_channels " + out);
                }
                weights.put(id + ".weight", new int[] {out, x[0] / groups, k, k});
                if (n.boolAttr("bias", false)) {
                    weights.put(id + ".bias", new int[] {out});
                }
                return new int[] {out, spatial(n, x[1], k, stride, pad), spatial(n, x[2], k, stride, pad)};
            }
            case BATCHNORM -> {
                requireMap(n, x);
                for (String p : List.of("gamma", "beta", "running_mean", "running_var")) {
                    weights.put(id + "." + p, new int[] {x[0]});
                }
                return x;
            }
            case MAXPOOL, AVGPOOL -> {
                requireMap(n, x);
                int k = positive(n, "kernel", n.intAttr("kernel"));
                int stride = positive(n, "stride", n.intAttr("stride", k));
                int pad = n.intAttr("padding", 0);
                return new int[] {x[0], spatial(n, x[1], k, stride, pad), spatial(n, x[2], k, stride, pad)};
            }
            case GLOBAL_AVGPOOL -> {
                requireMap(n, x);
                return new int[] {x[0], 1, 1};
            }
            case RELU, RELU6, DROPOUT -> {
                return x;
            }
            case FLATTEN -> {
                return new int[] {Math.toIntExact(Tensor.numel(x))};
            }
            case LINEAR -> {
                if (x.length != 1) {
                    throw new ModelFormatException("node '" + id + "' (linear) needs a flat input, '" + n.input()
                            + "' produces " + Arrays.toString(x) + " (add a flatten)");
                }
                int out = positive(n, "out_features", n.intAttr("out_features"));
                weights.put(id + ".weight", new int[] {out, x[0]});
                if (n.boolAttr("bias", true)) {
                    weights.put(id + ".bias", new int[] {out});
                }
                return new int[] {out};
            }
            case ADD -> {
                for (String src : n.inputs()) {
                    if (!Arrays.equals(shapes.get(src), x)) {
                        throw new ModelFormatException("node '" + id + "' (add): input '" + src + "' has shape "
                                + Arrays.toString(shapes.get(src)) + ", '" + n.input() + "' has " + Arrays.toString(x));
                    }
                }
                return x;
            }
            case CONCAT -> {
                int channels = 0;
                for (String src : n.inputs()) {
                    int[] s = shapes.get(src);
                    requireMap(n, s);
                    if (s[1] != x[1] || s[2] != x[2]) {
                        throw new ModelFormatException("node '" + id + "' (concat): input '" + src + "' is "
                                + s[1] + "x" + s[2] + ", '" + n.input() + "' is " + x[1] + "x" + x[2]);
                    }
                    channels += s[0];
                }
                return new int[] {channels, x[1], x[2]};
            }
            default -> throw new ModelFormatException("node '" + id + "': unsupported op " + n.op());
        }
    }

    private static void requireMap(NodeSpec n, int[] x) {
        if (x.length != 3) {
            throw new ModelFormatException("node '" + n.id() + "' (" + n.op().key() + ") needs a [C,H,W] feature map, got "
                    + Arrays.toString(x));
        }
    }

    private static int positive(NodeSpec n, String attr, int v) {
        if (v <= 0) {
            throw new ModelFormatException("node '" + n.id() + "': " + attr + " must be positive, got " + v);
        }
        return v;
    }

    /**
     * The side of a conv's or pool's output for a {@code k}x{@code k} window (PyTorch's rule, floor
     * division); zero or less when the window does not fit. Importers that build graphs share it.
     */
    public static int windowOutputSize(int size, int k, int stride, int pad) {
        return (size + 2 * pad - k) / stride + 1;
    }

    private static int spatial(NodeSpec n, int size, int k, int stride, int pad) {
        int out = windowOutputSize(size, k, stride, pad);
        if (out <= 0) {
            throw new ModelFormatException("node '" + n.id() + "': a " + k + "x" + k + " window does not fit a "
                    + size + "-pixel input with padding " + pad);
        }
        return out;
    }

    public ModelSpec spec() {
        return spec;
    }

    /** Nodes in an order where every node comes after its inputs. */
    public List<NodeSpec> order() {
        return order;
    }

    public NodeSpec node(String id) {
        return spec.requireNode(id);
    }

    /** Per-sample output shape of a node, or of {@link ModelSpec#INPUT}. */
    public int[] shape(String id) {
        int[] s = shapes.get(id);
        if (s == null) {
            throw new ModelFormatException("no node '" + id + "'");
        }
        return s.clone();
    }

    /** Every weight key the spec implies, with its shape, in node order. */
    public Map<String, int[]> weightShapes() {
        return Collections.unmodifiableMap(weightShapes);
    }

    public List<String> consumers(String id) {
        return consumers.getOrDefault(id, List.of());
    }

    /** Checks a weight map against the spec: nothing missing, nothing extra, shapes equal, all finite. */
    public void checkWeights(Map<String, Tensor> weights) {
        for (Map.Entry<String, int[]> e : weightShapes.entrySet()) {
            Tensor t = weights.get(e.getKey());
            String node = e.getKey().substring(0, e.getKey().indexOf('.'));
            if (t == null) {
                throw new ModelFormatException("node '" + node + "': weight '" + e.getKey() + "' is missing");
            }
            if (!Arrays.equals(t.shape(), e.getValue())) {
                throw new ModelFormatException("node '" + node + "': weight '" + e.getKey() + "' has shape "
                        + Arrays.toString(t.shape()) + " but the spec implies " + Arrays.toString(e.getValue()));
            }
            int bad = t.firstNonFinite();
            if (bad >= 0) {
                throw new ModelFormatException("node '" + node + "': weight '" + e.getKey() + "' holds "
                        + t.data()[bad] + " at flat index " + bad);
            }
        }
        for (String key : weights.keySet()) {
            if (!weightShapes.containsKey(key)) {
                throw new ModelFormatException("weights.safetensors: tensor '" + key + "' belongs to no node of the spec");
            }
        }
    }
}

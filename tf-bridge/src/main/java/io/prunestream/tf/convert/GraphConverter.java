package io.prunestream.tf.convert;

import io.prunestream.core.model.InputSpec;
import io.prunestream.core.model.ModelFormatException;
import io.prunestream.core.model.ModelGraph;
import io.prunestream.core.model.ModelSpec;
import io.prunestream.core.model.NodeSpec;
import io.prunestream.core.model.Op;
import io.prunestream.tf.savedmodel.FlatNode;
import io.prunestream.tf.savedmodel.FlatNode.Endpoint;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Turns the inlined serving graph of a Keras CNN into a package spec. Keras layers appear as small
 * op patterns (Conv2D + BiasAdd + Relu for a conv with a fused activation; FusedBatchNormV3 with the
 * layer's real epsilon; Reshape for Flatten; MatMul + BiasAdd for Dense; Dropout is an Identity at
 * inference and vanishes), which map onto package nodes with layouts converted. A trailing Softmax
 * is dropped, since packages output logits, and recorded in {@code info}. Ops outside the patterns
 * fail together, by name, before any conversion starts.
 */
public final class GraphConverter {
    /** Info key naming the activation the original applied to the logits ("softmax" or absent). */
    public static final String OUTPUT_ACTIVATION = "tf.output_activation";

    static final Set<String> CONVERTIBLE = Set.of("Conv2D", "DepthwiseConv2dNative", "BiasAdd", "Relu", "Relu6",
            "FusedBatchNorm", "FusedBatchNormV2", "FusedBatchNormV3", "MaxPool", "AvgPool", "Mean", "Reshape", "MatMul",
            "Add", "AddV2", "AddN", "ConcatV2", "Softmax", "Pad", "PadV2");
    private static final Set<String> WEIGHT_OPS = Set.of("Const", "VarHandleOp", "ReadVariableOp");

    private final String source;
    private final Map<FlatNode, Value> values = new IdentityHashMap<>();
    private final Map<String, NodeDraft> drafts = new LinkedHashMap<>();
    private final Map<String, WeightRecipe> weights = new LinkedHashMap<>();
    private final LayerNames names = new LayerNames();
    private final NodeReader read;
    private FlatOrder order;

    private GraphConverter(String source) {
        this.source = source;
        this.read = new NodeReader(source);
    }

    /**
     * @param input the signature's input placeholder, fed {@code [N, H, W, C]} float images
     * @param inputShape its shape as the signature declares it
     * @param output the signature's output
     * @param name the package name
     * @param source what to call the SavedModel in messages
     */
    public static ConvertedGraph convert(FlatNode input, int[] inputShape, Endpoint output, String name, String source) {
        return new GraphConverter(source).run(input, inputShape, output, name);
    }

    private ConvertedGraph run(FlatNode input, int[] inputShape, Endpoint output, String name) {
        order = FlatOrder.of(output.node());
        checkSupported(order.nodes(), input);
        InputSpec in = inputSpec(inputShape);
        values.put(input, Value.of(ModelSpec.INPUT, in.shape()));
        Endpoint logits = output;
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("source", "tensorflow-savedmodel");
        if (output.node().op().equals("Softmax")) {
            logits = output.node().input(0);
            info.put(OUTPUT_ACTIVATION, "softmax");
        }
        FlatNode dropped = logits == output ? null : output.node();
        for (FlatNode n : order.nodes()) {
            if (n != input && n != dropped && !WEIGHT_OPS.contains(n.op())) {
                convertNode(n);
            }
        }
        Value out = value(logits, "the output");
        if (out.isMap() || out.flattenedFrom() != null) {
            throw new ModelFormatException(source + ": the output must be a vector of class scores, '" + logits
                    + "' produces " + Arrays.toString(out.shape()) + (out.isMap() ? "" : " in H-W-C order"));
        }
        List<NodeSpec> nodes = drafts.values().stream().map(NodeDraft::build).toList();
        ModelSpec spec = new ModelSpec(ModelSpec.FORMAT_VERSION, name, "tensorflow-savedmodel", in, out.shape()[0], nodes,
                out.id(), info);
        return new ConvertedGraph(spec, weights);
    }

    private InputSpec inputSpec(int[] s) {
        if (s == null || s.length != 4 || s[1] <= 0 || s[2] <= 0 || s[3] <= 0) {
            throw new ModelFormatException(source + ": the input must be a batch of NHWC images with known height, "
                    + "width and channels, the signature declares " + Arrays.toString(s));
        }
        // The graph takes its input as preprocessed by whoever trained it; scale to [0, 1] and no more.
        return new InputSpec(s[3], s[1], s[2], 0.0, 1.0);
    }

    private void checkSupported(List<FlatNode> order, FlatNode input) {
        Map<String, List<String>> unsupported = new TreeMap<>();
        for (FlatNode n : order) {
            boolean ok = n == input || WEIGHT_OPS.contains(n.op()) || CONVERTIBLE.contains(n.op());
            if (!ok) {
                unsupported.computeIfAbsent(n.op(), k -> new ArrayList<>()).add(n.name());
            }
        }
        if (!unsupported.isEmpty()) {
            String list = unsupported.entrySet().stream()
                    .map(e -> e.getKey() + " (" + e.getValue().size() + "x, e.g. '" + e.getValue().get(0) + "')")
                    .collect(Collectors.joining(", "));
            throw new ModelFormatException("cannot import " + source + ": its serving graph uses TensorFlow ops that "
                    + "have no package equivalent: " + list + ". Supported: " + CONVERTIBLE.stream().sorted().collect(Collectors.joining(", ")));
        }
    }

    private void convertNode(FlatNode n) {
        switch (n.op()) {
            case "Conv2D" -> conv(n, false);
            case "DepthwiseConv2dNative" -> conv(n, true);
            case "BiasAdd" -> biasAdd(n);
            case "Relu" -> activation(n, Op.RELU);
            case "Relu6" -> activation(n, Op.RELU6);
            case "FusedBatchNorm", "FusedBatchNormV2", "FusedBatchNormV3" -> batchNorm(n);
            case "MaxPool" -> pool(n, Op.MAXPOOL);
            case "AvgPool" -> pool(n, Op.AVGPOOL);
            case "Mean" -> globalMean(n);
            case "Reshape" -> reshape(n);
            case "MatMul" -> matMul(n);
            case "Add", "AddV2", "AddN" -> add(n);
            case "ConcatV2" -> concat(n);
            case "Pad", "PadV2" -> pad(n);
            case "Softmax" -> throw new ModelFormatException(source + ": Softmax '" + n.name()
                    + "' is not at the output; only a final softmax can be dropped");
            default -> throw new IllegalStateException("no conversion for " + n.op());
        }
    }

    // ---- layers -------------------------------------------------------------------------------

    private void conv(FlatNode n, boolean depthwise) {
        Value x = paddedMap(n, 0);
        TfSource filter = read.weight(n.input(1), "filter");
        int[] f = filter.shape();
        read.requireNhwc(n);
        int k = read.squareKernel(n, f[0], f[1]);
        int stride = read.spatial(n, "strides");
        if (read.ints(n, "dilations", List.of(1L, 1L, 1L, 1L)).stream().anyMatch(d -> d != 1)) {
            throw read.unsupported(n, "dilated convolutions are not supported");
        }
        int channels = x.channels();
        int groups;
        int out;
        if (depthwise) {
            requireDim(n, "filter input channels", f[2], channels);
            groups = channels;
            out = channels * f[3];
        } else {
            if (channels % f[2] != 0) {
                throw read.unsupported(n, "filter expects " + f[2] + " input channels per group, input has " + channels);
            }
            groups = channels / f[2];
            out = f[3];
        }
        if (x.padLowest()) {
            throw read.unsupported(n, "padding with the lowest float before a convolution");
        }
        int p = padding(n, x, k, stride, true);
        String id = names.unique(n.name(), depthwise ? "depthwise" : "conv");
        add(new NodeDraft(id, Op.CONV2D, List.of(x.id())).attr("out_channels", out).attr("kernel", k)
                .attr("stride", stride).attr("padding", p).attr("groups", groups).attr("bias", false));
        weights.put(id + ".weight", new WeightRecipe(filter, depthwise ? Layouts::depthwiseToOihw : Layouts::hwioToOihw));
        values.put(n, Value.of(id, new int[] {out, spatial(x.shape()[1], k, stride, p), spatial(x.shape()[2], k, stride, p)}));
    }

    private void biasAdd(FlatNode n) {
        Endpoint in = n.input(0);
        Value x = value(in, "BiasAdd '" + n.name() + "'");
        NodeDraft d = drafts.get(x.id());
        read.requireNhwc(n);
        boolean foldable = d != null && (d.op == Op.CONV2D || d.op == Op.LINEAR) && !(Boolean) d.attrs.get("bias")
                && order.consumersOf(in.node()) == 1;
        if (!foldable) {
            throw read.unsupported(n, "a bias is supported only directly after a Conv2D, DepthwiseConv2dNative or MatMul "
                    + "that feeds nothing else");
        }
        TfSource bias = read.weight(n.input(1), "bias");
        int channels = x.shape()[0];
        if (bias.shape().length != 1 || bias.shape()[0] != channels) {
            throw read.unsupported(n, "bias of shape " + Arrays.toString(bias.shape()) + " for " + channels + " channels");
        }
        d.attr("bias", true);
        weights.put(d.id + ".bias", WeightRecipe.asIs(bias));
        values.put(n, x);
    }

    private void activation(FlatNode n, Op op) {
        Value x = value(n.input(0), op.key() + " '" + n.name() + "'");
        String id = names.unique(n.name(), op.key());
        add(new NodeDraft(id, op, List.of(x.id())));
        values.put(n, new Value(id, x.shape(), x.flattenedFrom(), 0, false, true));
    }

    private void batchNorm(FlatNode n) {
        Value x = map(n, 0);
        read.requireNhwc(n);
        if (read.flag(n, "is_training")) {
            throw read.unsupported(n, "batch norm in training mode in a serving graph");
        }
        String id = names.unique(n.name(), "bn");
        // The graph's epsilon is the one Keras actually used (it raises values below 1.001e-5 for the
        // fused kernel), so it is taken from the op, not from the layer config.
        double eps = n.attrs().containsKey("epsilon") ? n.attr("epsilon").getF() : 1e-4;
        add(new NodeDraft(id, Op.BATCHNORM, List.of(x.id())).attr("eps", eps).attr("momentum", 0.1));
        String[] params = {"gamma", "beta", "running_mean", "running_var"};
        for (int i = 0; i < params.length; i++) {
            TfSource s = read.weight(n.input(i + 1), params[i]);
            if (s.shape().length != 1 || s.shape()[0] != x.channels()) {
                throw read.unsupported(n, params[i] + " of shape " + Arrays.toString(s.shape()) + " for " + x.channels()
                        + " channels");
            }
            weights.put(id + "." + params[i], WeightRecipe.asIs(s));
        }
        values.put(n, Value.of(id, x.shape()));
    }

    private void pool(FlatNode n, Op op) {
        Value x = paddedMap(n, 0);
        read.requireNhwc(n);
        List<Long> window = read.ints(n, "ksize", null);
        if (window.size() != 4 || window.get(0) != 1 || window.get(3) != 1) {
            throw read.unsupported(n, "window " + window + "; only spatial windows are supported");
        }
        int k = read.squareKernel(n, window.get(1).intValue(), window.get(2).intValue());
        int stride = read.spatial(n, "strides");
        if (x.pad() > 0 && op == Op.MAXPOOL && !x.padLowest() && !x.nonNegative()) {
            throw read.unsupported(n, "zero padding before a max pool is exact only on ReLU outputs");
        }
        if (x.pad() > 0 && op == Op.AVGPOOL && x.padLowest()) {
            throw read.unsupported(n, "padding with the lowest float before an average pool");
        }
        int p = padding(n, x, k, stride, false);
        if (op == Op.AVGPOOL && x.pad() == 0 && p > 0) {
            throw read.unsupported(n, "SAME average pooling leaves padding out of the average, packages count it");
        }
        if (2 * p > k) {
            throw read.unsupported(n, "padding " + p + " exceeds half the " + k + "x" + k + " window");
        }
        String id = names.unique(n.name(), op.key());
        add(new NodeDraft(id, op, List.of(x.id())).attr("kernel", k).attr("stride", stride).attr("padding", p));
        values.put(n, new Value(id, new int[] {x.channels(), spatial(x.shape()[1], k, stride, p),
                spatial(x.shape()[2], k, stride, p)}, null, 0, false, op == Op.MAXPOOL && x.nonNegative()));
    }

    private void globalMean(FlatNode n) {
        Value x = map(n, 0);
        List<Long> axes = read.constInts(n.input(1), n, "axes").stream().map(a -> a < 0 ? a + 4 : a).sorted().toList();
        if (!axes.equals(List.of(1L, 2L))) {
            throw read.unsupported(n, "a mean over axes " + axes + "; only the spatial mean over [1, 2] (global average "
                    + "pooling) is supported");
        }
        String id = names.unique(n.name(), "gap");
        add(new NodeDraft(id, Op.GLOBAL_AVGPOOL, List.of(x.id())));
        Value pooled = Value.of(id, new int[] {x.channels(), 1, 1});
        boolean keepDims = read.flag(n, "keep_dims");
        values.put(n, keepDims ? pooled : flatten(id + "_flatten", pooled));
    }

    private void reshape(FlatNode n) {
        Value x = value(n.input(0), "Reshape '" + n.name() + "'");
        List<Long> target = read.constInts(n.input(1), n, "shape");
        long features = Arrays.stream(x.shape()).asLongStream().reduce(1, (a, b) -> a * b);
        boolean flattens = target.size() == 2 && target.get(0) <= 0 && (target.get(1) == features || target.get(1) == -1);
        if (!flattens) {
            throw read.unsupported(n, "a reshape of " + Arrays.toString(x.shape()) + " to " + target
                    + "; only flattening each sample is supported");
        }
        values.put(n, x.isMap() ? flatten(names.unique(n.name(), "flatten"), x) : x);
    }

    private Value flatten(String id, Value map) {
        add(new NodeDraft(id, Op.FLATTEN, List.of(map.id())));
        int[] s = map.shape();
        boolean reordered = s[1] * s[2] > 1;
        return new Value(id, new int[] {s[0] * s[1] * s[2]}, reordered ? s.clone() : null, 0, false, map.nonNegative());
    }

    private void matMul(FlatNode n) {
        Value x = value(n.input(0), "MatMul '" + n.name() + "'");
        if (x.isMap() || read.flag(n, "transpose_a")) {
            throw read.unsupported(n, "only [batch, features] x [features, units] products are supported");
        }
        boolean transposed = read.flag(n, "transpose_b");
        TfSource kernel = read.weight(n.input(1), "kernel");
        int[] k = kernel.shape();
        int in = transposed ? k[1] : k[0];
        int units = transposed ? k[0] : k[1];
        requireDim(n, "kernel input features", in, x.shape()[0]);
        String id = names.unique(n.name(), "dense");
        add(new NodeDraft(id, Op.LINEAR, List.of(x.id())).attr("out_features", units).attr("bias", false));
        int[] flattened = x.flattenedFrom();
        weights.put(id + ".weight", new WeightRecipe(kernel,
                t -> Layouts.denseToLinear(transposed ? Layouts.permute(t, 1, 0) : t, flattened)));
        values.put(n, Value.of(id, new int[] {units}));
    }

    private void add(FlatNode n) {
        List<Value> in = new ArrayList<>();
        for (Endpoint e : n.inputs()) {
            in.add(value(e, n.op() + " '" + n.name() + "'"));
        }
        Value first = in.get(0);
        for (Value v : in) {
            if (!Arrays.equals(v.shape(), first.shape()) || !Arrays.equals(v.flattenedFrom(), first.flattenedFrom())) {
                throw read.unsupported(n, "adds tensors of different shapes " + Arrays.toString(first.shape()) + " and "
                        + Arrays.toString(v.shape()) + " (broadcasting is not supported)");
            }
        }
        String id = names.unique(n.name(), "add");
        add(new NodeDraft(id, Op.ADD, in.stream().map(Value::id).toList()));
        values.put(n, new Value(id, first.shape(), first.flattenedFrom(), 0, false, false));
    }

    private void concat(FlatNode n) {
        int count = n.inputs().size() - 1;
        long axis = read.constInts(n.input(count), n, "axis").get(0);
        if (axis != 3 && axis != -1) {
            throw read.unsupported(n, "concatenation along axis " + axis + "; only the channel axis (3 or -1) is supported");
        }
        List<Value> in = new ArrayList<>();
        int channels = 0;
        for (int i = 0; i < count; i++) {
            Value v = map(n, i);
            in.add(v);
            channels += v.channels();
        }
        String id = names.unique(n.name(), "concat");
        add(new NodeDraft(id, Op.CONCAT, in.stream().map(Value::id).toList()));
        int[] s = in.get(0).shape();
        values.put(n, Value.of(id, new int[] {channels, s[1], s[2]}));
    }

    /** Pad (zeros) or PadV2 (with the lowest float, as exported before a max pool), absorbed by the consumer. */
    private void pad(FlatNode n) {
        Value x = map(n, 0);
        boolean lowest = false;
        if (n.op().equals("PadV2")) {
            float[] c = read.constFloats(n.input(2), n, "constant");
            lowest = c.length == 1 && c[0] <= -Float.MAX_VALUE;
            if (!lowest && !(c.length == 1 && c[0] == 0f)) {
                throw read.unsupported(n, "padding with " + Arrays.toString(c) + "; only zeros or the lowest float");
            }
        }
        List<Long> p = read.constInts(n.input(1), n, "paddings");
        long v = p.get(2);
        boolean symmetric = p.size() == 8 && p.get(0) == 0 && p.get(1) == 0 && p.get(6) == 0 && p.get(7) == 0
                && p.subList(2, 6).stream().allMatch(q -> q == v);
        if (!symmetric) {
            throw read.unsupported(n, "padding " + p + "; only equal zero padding of height and width is supported");
        }
        values.put(n, x.withPad((int) v, lowest));
    }

    // ---- helpers ------------------------------------------------------------------------------

    private void add(NodeDraft d) {
        drafts.put(d.id, d);
    }

    /** The package value of a tensor, which must not carry padding still to be absorbed. */
    private Value value(Endpoint e, String user) {
        Value v = values.get(e.node());
        if (v == null) {
            throw new ModelFormatException(source + ": " + user + " reads '" + e.node() + "', which is "
                    + (WEIGHT_OPS.contains(e.node().op()) ? "a constant or variable (only weights of conv, dense and "
                    + "batch-norm layers can be)" : "not a supported layer output"));
        }
        if (e.port() != 0) {
            throw new ModelFormatException(source + ": " + user + " reads output " + e.port() + " of '" + e.node()
                    + "'; only primary outputs are supported");
        }
        if (v.pad() > 0) {
            throw new ModelFormatException(source + ": the zero padding '" + e.node() + "' feeds " + user
                    + "; only Conv2D, AvgPool and MaxPool (after ReLU) can absorb padding");
        }
        return v;
    }

    /** Like {@link #map}, but may carry padding for this consumer to absorb (a Pad only ever makes maps). */
    private Value paddedMap(FlatNode n, int input) {
        Endpoint e = n.input(input);
        Value v = values.get(e.node());
        return v != null && v.pad() > 0 && e.port() == 0 ? v : map(n, input);
    }

    private Value map(FlatNode n, int input) {
        Value v = value(n.input(input), n.op() + " '" + n.name() + "'");
        if (!v.isMap()) {
            throw read.unsupported(n, "needs an image-shaped input, gets " + Arrays.toString(v.shape()));
        }
        return v;
    }

    /** The package padding of a conv or pool, absorbing a preceding Pad. */
    private int padding(FlatNode n, Value x, int k, int stride, boolean conv) {
        String mode = n.attr("padding").getS().toStringUtf8();
        if (x.pad() > 0 && !mode.equals("VALID")) {
            throw read.unsupported(n, "explicit zero padding followed by " + mode + " padding");
        }
        switch (mode) {
            case "VALID":
                return x.pad();
            case "SAME": {
                int p = TfPadding.same(x.shape()[1], x.shape()[2], k, stride);
                if (p == TfPadding.NOT_SYMMETRIC) {
                    throw read.unsupported(n, "SAME padding of a " + x.shape()[1] + "x" + x.shape()[2] + " input with a "
                            + k + "x" + k + " window and stride " + stride + " pads unevenly, which packages cannot "
                            + "express");
                }
                return p;
            }
            case "EXPLICIT": {
                List<Long> e = read.ints(n, "explicit_paddings", null);
                long v = e.size() == 8 ? e.get(2) : -1;
                if (!conv || v < 0 || e.get(0) != 0 || e.get(1) != 0 || e.get(6) != 0 || e.get(7) != 0
                        || !e.subList(2, 6).stream().allMatch(q -> q == v)) {
                    throw read.unsupported(n, "explicit paddings " + e + "; only equal padding of height and width");
                }
                return (int) v;
            }
            default:
                throw read.unsupported(n, "padding mode " + mode);
        }
    }

    private void requireDim(FlatNode n, String what, int actual, int expected) {
        if (actual != expected) {
            throw read.unsupported(n, what + " " + actual + " do not match the input's " + expected);
        }
    }

    private static int spatial(int size, int k, int stride, int pad) {
        return ModelGraph.windowOutputSize(size, k, stride, pad);
    }


}

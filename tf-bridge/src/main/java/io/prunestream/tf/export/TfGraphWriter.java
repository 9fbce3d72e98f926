package io.prunestream.tf.export;

import io.prunestream.core.model.InputSpec;
import io.prunestream.core.model.ModelGraph;
import io.prunestream.core.model.ModelPackage;
import io.prunestream.core.model.ModelSpec;
import io.prunestream.core.model.NodeSpec;
import io.prunestream.core.model.Tensor;
import io.prunestream.tf.OutputActivation;
import io.prunestream.tf.convert.Layouts;
import io.prunestream.tf.convert.TfPadding;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Graph;
import org.tensorflow.Output;

/**
 * Writes a package into a TensorFlow graph as the ops a Keras SavedModel uses, NHWC throughout:
 * Conv2D or DepthwiseConv2dNative + BiasAdd, FusedBatchNormV3 in inference mode with the package's
 * epsilon, Relu/Relu6, MaxPool/AvgPool (padding the package's way: SAME when it coincides, else an
 * explicit Pad), Mean for global pooling, Reshape for flatten, MatMul + BiasAdd, AddV2, ConcatV2.
 * Weights become constants. Each op is named {@code <node id>/<Op>}, so importing the result gives
 * back the package's node ids. Dropout is the identity at inference and writes nothing.
 */
final class TfGraphWriter {
    static final String INPUT = "input";
    static final String OUTPUT = "output";
    private static final String NHWC = "NHWC";

    private final GraphOps ops;
    private final ModelPackage pkg;
    private final ModelGraph graph;
    private final Map<String, Flow> flows = new HashMap<>();

    private TfGraphWriter(Graph g, ModelPackage pkg) {
        this.ops = new GraphOps(g);
        this.pkg = pkg;
        this.graph = pkg.graph();
    }

    /** The graph's input placeholder and output, in that order. */
    static List<Output<?>> write(Graph g, ModelPackage pkg, OutputActivation activation) {
        return new TfGraphWriter(g, pkg).run(activation);
    }

    private List<Output<?>> run(OutputActivation activation) {
        InputSpec in = pkg.spec().input();
        Output<?> x = ops.placeholder(INPUT, -1, in.height(), in.width(), in.channels());
        flows.put(ModelSpec.INPUT, Flow.of(x, in.shape()));
        for (NodeSpec n : graph.order()) {
            flows.put(n.id(), node(n));
        }
        Output<?> y = canonical(flows.get(pkg.spec().output()), "output_order");
        if (activation == OutputActivation.SOFTMAX) {
            y = ops.op("Softmax", "softmax", List.of(y));
        }
        return List.of(x, ops.op("Identity", OUTPUT, List.of(y)));
    }

    private Flow node(NodeSpec n) {
        Flow x = flows.get(n.input());
        return switch (n.op()) {
            case CONV2D -> conv(n, x);
            case BATCHNORM -> batchNorm(n, x);
            case RELU -> x.with(ops.op("Relu", n.id() + "/Relu", List.of(x.tensor())));
            case RELU6 -> x.with(ops.op("Relu6", n.id() + "/Relu6", List.of(x.tensor())));
            case MAXPOOL -> pool(n, x, true);
            case AVGPOOL -> pool(n, x, false);
            case GLOBAL_AVGPOOL -> Flow.of(ops.op("Mean", n.id() + "/Mean",
                    List.of(x.tensor(), ops.ints(n.id() + "/axes", 1, 2)), b -> b.setAttr("keep_dims", true)),
                    graph.shape(n.id()));
            case FLATTEN -> flatten(n, x);
            case LINEAR -> linear(n, x);
            case ADD -> add(n, x);
            case CONCAT -> concat(n);
            case DROPOUT -> x;
        };
    }

    private Flow conv(NodeSpec n, Flow x) {
        String id = n.id();
        Tensor w = pkg.weight(id + ".weight");
        int in = x.shape()[0];
        int groups = n.intAttr("groups", 1);
        int k = n.intAttr("kernel");
        int stride = n.intAttr("stride", 1);
        int pad = n.intAttr("padding", 0);
        boolean depthwise = groups > 1 && groups == in;
        Output<?> filter = ops.constant(id + "/kernel", depthwise ? Layouts.oihwToDepthwise(w, in) : Layouts.oihwToHwio(w));
        String mode = paddingMode(x, k, stride, pad, true);
        Output<?> y = ops.op(depthwise ? "DepthwiseConv2dNative" : "Conv2D", id + (depthwise ? "/depthwise" : "/Conv2D"),
                List.of(x.tensor(), filter), b -> {
                    b.setAttr("strides", new long[] {1, stride, stride, 1}).setAttr("padding", mode)
                            .setAttr("data_format", NHWC);
                    if (mode.equals("EXPLICIT")) {
                        b.setAttr("explicit_paddings", new long[] {0, 0, pad, pad, pad, pad, 0, 0});
                    }
                });
        return Flow.of(bias(id, y), graph.shape(id));
    }

    private Output<?> bias(String id, Output<?> y) {
        Tensor b = pkg.weights().get(id + ".bias");
        if (b == null) {
            return y;
        }
        return ops.op("BiasAdd", id + "/BiasAdd", List.of(y, ops.constant(id + "/bias", b)),
                a -> a.setAttr("data_format", NHWC));
    }

    private Flow batchNorm(NodeSpec n, Flow x) {
        String id = n.id();
        List<Output<?>> inputs = new ArrayList<>(List.of(x.tensor()));
        for (String p : List.of("gamma", "beta", "running_mean", "running_var")) {
            inputs.add(ops.constant(id + "/" + p, pkg.weight(id + "." + p)));
        }
        float eps = (float) n.doubleAttr("eps", 1e-5);
        return x.with(ops.op("FusedBatchNormV3", id + "/FusedBatchNormV3", inputs, b -> b.setAttr("epsilon", eps)
                .setAttr("is_training", false).setAttr("data_format", NHWC)));
    }

    private Flow pool(NodeSpec n, Flow x, boolean max) {
        String id = n.id();
        int k = n.intAttr("kernel");
        int stride = n.intAttr("stride", k);
        int pad = n.intAttr("padding", 0);
        String mode = paddingMode(x, k, stride, pad, max);
        Output<?> input = x.tensor();
        if (mode.equals("EXPLICIT")) {
            // Pooling ops have no explicit padding: pad first, with what the package's pooling pads with
            // (nothing a maximum would pick; zeros counted in the average), then pool without padding.
            input = max
                    ? ops.op("PadV2", id + "/PadV2", List.of(input, ops.spatialPaddings(id + "/paddings", pad),
                            ops.scalar(id + "/lowest", -Float.MAX_VALUE)))
                    : ops.op("Pad", id + "/Pad", List.of(input, ops.spatialPaddings(id + "/paddings", pad)));
        }
        String tfMode = mode.equals("EXPLICIT") ? "VALID" : mode;
        Output<?> y = ops.op(max ? "MaxPool" : "AvgPool", id + (max ? "/MaxPool" : "/AvgPool"), List.of(input),
                b -> b.setAttr("ksize", new long[] {1, k, k, 1}).setAttr("strides", new long[] {1, stride, stride, 1})
                        .setAttr("padding", tfMode).setAttr("data_format", NHWC));
        return Flow.of(y, graph.shape(id));
    }

    /**
     * VALID, SAME where TensorFlow's SAME pads exactly like the package (for an average pool only
     * when there is no padding, as SAME leaves padding out of the average), else EXPLICIT.
     */
    private static String paddingMode(Flow x, int k, int stride, int pad, boolean sameAllowed) {
        if (pad == 0) {
            return "VALID";
        }
        boolean same = TfPadding.same(x.shape()[1], x.shape()[2], k, stride) == pad;
        return same && sameAllowed ? "SAME" : "EXPLICIT";
    }

    private Flow flatten(NodeSpec n, Flow x) {
        if (x.shape().length == 1) {
            return x;
        }
        int[] s = x.shape();
        int features = s[0] * s[1] * s[2];
        Output<?> y = ops.op("Reshape", n.id() + "/Reshape", List.of(x.tensor(), ops.ints(n.id() + "/shape", -1,
                features)));
        return new Flow(y, new int[] {features}, s[1] * s[2] > 1 ? s : null);
    }

    private Flow linear(NodeSpec n, Flow x) {
        String id = n.id();
        Tensor kernel = Layouts.linearToDense(pkg.weight(id + ".weight"), x.flattenedFrom());
        Output<?> y = ops.op("MatMul", id + "/MatMul", List.of(x.tensor(), ops.constant(id + "/kernel", kernel)));
        return Flow.of(bias(id, y), graph.shape(id));
    }

    private Flow add(NodeSpec n, Flow first) {
        Output<?> sum = first.tensor();
        List<String> rest = n.inputs().subList(1, n.inputs().size());
        for (int i = 0; i < rest.size(); i++) {
            String name = n.id() + (i == rest.size() - 1 ? "/add" : "/add_" + i);
            sum = ops.op("AddV2", name, List.of(sum, flows.get(rest.get(i)).tensor()));
        }
        return first.with(sum);
    }

    private Flow concat(NodeSpec n) {
        List<Output<?>> parts = n.inputs().stream().<Output<?>>map(i -> flows.get(i).tensor()).toList();
        Output<?> y = ops.listOp("ConcatV2", n.id() + "/concat", parts, List.of(ops.scalar(n.id() + "/axis", 3)));
        return Flow.of(y, graph.shape(n.id()));
    }

    /** The output in the package's C-H-W feature order, should it be a map flattened in H-W-C order. */
    private Output<?> canonical(Flow f, String name) {
        int[] s = f.flattenedFrom();
        if (s == null) {
            return f.tensor();
        }
        Output<?> map = ops.op("Reshape", name + "/to_map", List.of(f.tensor(), ops.ints(name + "/map_shape", -1, s[1],
                s[2], s[0])));
        Output<?> chw = ops.op("Transpose", name + "/to_chw", List.of(map, ops.ints(name + "/perm", 0, 3, 1, 2)));
        return ops.op("Reshape", name + "/flatten", List.of(chw, ops.ints(name + "/flat_shape", -1, s[0] * s[1] * s[2])));
    }
}

package io.prunestream.core.zoo;

import io.prunestream.core.model.InputSpec;
import io.prunestream.core.model.ModelGraph;
import io.prunestream.core.model.ModelPackage;
import io.prunestream.core.model.ModelSpec;
import io.prunestream.core.model.NodeSpec;
import io.prunestream.core.model.Op;
import io.prunestream.core.model.Tensor;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Builds a model graph node by node and initialises its weights: He-normal (fan-in) for
 * convolutions and linear layers as in the ResNet paper, BN with gamma 1 and beta 0. Each method
 * returns the new node's id so that graphs read like the forward pass.
 */
public final class GraphBuilder {
    private final List<NodeSpec> nodes = new ArrayList<>();
    private final Map<String, Integer> counters = new HashMap<>();

    public String conv(String name, String in, int out, int kernel, int stride, int padding) {
        return convGrouped(name, in, out, kernel, stride, padding, 1);
    }

    public String convGrouped(String name, String in, int out, int kernel, int stride, int padding, int groups) {
        return add(name, Op.CONV2D, List.of(in), Map.of("out_channels", out, "kernel", kernel, "stride", stride,
                "padding", padding, "groups", groups, "bias", false));
    }

    public String bn(String name, String in) {
        return add(name, Op.BATCHNORM, List.of(in), Map.of("eps", 1e-5, "momentum", 0.1));
    }

    public String relu(String in) {
        return add(null, Op.RELU, List.of(in), Map.of());
    }

    public String relu6(String in) {
        return add(null, Op.RELU6, List.of(in), Map.of());
    }

    /** conv → BN → ReLU, the unit most CNNs repeat. */
    public String convBnRelu(String name, String in, int out, int kernel, int stride, int padding) {
        return relu(bn(name + "_bn", conv(name, in, out, kernel, stride, padding)));
    }

    public String maxPool(String in, int kernel, int stride, int padding) {
        return add(null, Op.MAXPOOL, List.of(in), Map.of("kernel", kernel, "stride", stride, "padding", padding));
    }

    public String avgPool(String in, int kernel, int stride, int padding) {
        return add(null, Op.AVGPOOL, List.of(in), Map.of("kernel", kernel, "stride", stride, "padding", padding));
    }

    public String globalAvgPool(String in) {
        return add(null, Op.GLOBAL_AVGPOOL, List.of(in), Map.of());
    }

    public String flatten(String in) {
        return add(null, Op.FLATTEN, List.of(in), Map.of());
    }

    public String linear(String name, String in, int out) {
        return add(name, Op.LINEAR, List.of(in), Map.of("out_features", out, "bias", true));
    }

    public String dropout(String in, double rate) {
        return add(null, Op.DROPOUT, List.of(in), Map.of("rate", rate));
    }

    public String sum(String name, String... in) {
        return add(name, Op.ADD, List.of(in), Map.of());
    }

    public String concat(String name, String... in) {
        return add(name, Op.CONCAT, List.of(in), Map.of());
    }

    private String add(String name, Op op, List<String> inputs, Map<String, Object> attrs) {
        String id = name != null ? name : op.key() + counters.merge(op.key(), 1, Integer::sum);
        nodes.add(new NodeSpec(id, op, inputs, new LinkedHashMap<>(attrs)));
        return id;
    }

    public ModelPackage build(String name, String architecture, InputSpec input, int classes, String output, long seed) {
        ModelSpec spec = new ModelSpec(ModelSpec.FORMAT_VERSION, name, architecture, input, classes, nodes, output,
                Map.of("seed", seed));
        return new ModelPackage(spec, initialWeights(ModelGraph.of(spec), seed));
    }

    static Map<String, Tensor> initialWeights(ModelGraph graph, long seed) {
        Random random = new Random(seed);
        Map<String, Tensor> weights = new LinkedHashMap<>();
        graph.weightShapes().forEach((key, shape) -> {
            String param = key.substring(key.indexOf('.') + 1);
            Tensor t = switch (param) {
                case "gamma", "running_var" -> Tensor.filled(1f, shape);
                case "weight" -> heNormal(shape, random);
                default -> Tensor.zeros(shape);
            };
            weights.put(key, t);
        });
        return weights;
    }

    private static Tensor heNormal(int[] shape, Random random) {
        int fanIn = 1;
        for (int i = 1; i < shape.length; i++) {
            fanIn *= shape[i];
        }
        double std = Math.sqrt(2.0 / fanIn);
        Tensor t = Tensor.zeros(shape);
        float[] d = t.data();
        for (int i = 0; i < d.length; i++) {
            d[i] = (float) (random.nextGaussian() * std);
        }
        return t;
    }
}

package io.prunestream.core.importance;

import io.prunestream.core.model.ModelGraph;
import io.prunestream.core.model.ModelPackage;
import io.prunestream.core.model.ModelSpec;
import io.prunestream.core.model.NodeSpec;
import io.prunestream.core.model.Tensor;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * NISP's backward propagation of importance (Yu et al., NISP: Pruning Networks using Neuron
 * Importance Score Propagation, CVPR 2018): {@code s_in = |W|ᵀ s_out}, layer by layer from the
 * classifier output back to the input. Every output neuron (logit) starts with importance 1.
 *
 * <p>Importance is kept per channel as the sum over the channel's neurons (positions). With that
 * bookkeeping a convolution propagates exactly as {@code S_in[c] = Σ_o ‖W[o,c]‖₁ · S_out[o]} whatever
 * its stride, as long as no kernel tap falls on padding (taps on padding are counted as if they met a
 * neuron: a border effect this ignores). The other operators, as NISP treats them:
 * <ul>
 *   <li>batch-norm is the linear map {@code x·γ/sqrt(var+eps)}: importance is scaled by
 *       {@code |γ|/sqrt(var+eps)} (the shift carries none);</li>
 *   <li>ReLU/ReLU6 and dropout are passed through (NISP treats the network as linear);</li>
 *   <li>pooling (max, average, global) passes each channel's total unchanged: an averaging window
 *       shares an output neuron's importance among its inputs, and max pooling is read the same way,
 *       since which input wins depends on the data NISP does not see;</li>
 *   <li>flatten sums a channel's features back into the channel; a linear layer is {@code |W|ᵀ};</li>
 *   <li>an {@code add} gives its full importance to every input, and a tensor read by several nodes
 *       (the two branches of a residual block) receives the sum of what each reader sends back;</li>
 *   <li>a concat splits its channels back among its inputs.</li>
 * </ul>
 */
final class NeuronImportance {
    private NeuronImportance() {}

    /** Importance of every tensor (node id and {@link ModelSpec#INPUT}) per entry of its axis 1. */
    static Map<String, double[]> propagate(ModelPackage model) {
        ModelGraph graph = model.graph();
        Map<String, double[]> importance = new HashMap<>();
        double[] logits = new double[graph.spec().classes()];
        java.util.Arrays.fill(logits, 1);
        importance.put(graph.spec().output(), logits);
        List<NodeSpec> order = graph.order();
        for (int i = order.size() - 1; i >= 0; i--) {
            NodeSpec n = order.get(i);
            double[] out = importance.get(n.id());
            if (out != null) {
                sendBack(model, graph, n, out, importance);
            }
        }
        return importance;
    }

    private static void sendBack(ModelPackage model, ModelGraph graph, NodeSpec n, double[] out,
            Map<String, double[]> importance) {
        switch (n.op()) {
            case CONV2D -> {
                Tensor w = model.weight(n.id() + ".weight");
                double[] in = into(importance, graph, n.input());
                int outChannels = w.dim(0);
                int perGroupIn = w.dim(1);
                int perGroupOut = outChannels / n.intAttr("groups", 1);
                int taps = w.size() / (outChannels * perGroupIn);
                float[] d = w.data();
                for (int o = 0; o < outChannels; o++) {
                    int firstIn = (o / perGroupOut) * perGroupIn;
                    for (int c = 0; c < perGroupIn; c++) {
                        double l1 = 0;
                        int base = (o * perGroupIn + c) * taps;
                        for (int k = 0; k < taps; k++) {
                            l1 += Math.abs(d[base + k]);
                        }
                        in[firstIn + c] += l1 * out[o];
                    }
                }
            }
            case LINEAR -> {
                Tensor w = model.weight(n.id() + ".weight");
                double[] in = into(importance, graph, n.input());
                int features = w.dim(1);
                float[] d = w.data();
                for (int o = 0; o < w.dim(0); o++) {
                    for (int f = 0; f < features; f++) {
                        in[f] += Math.abs(d[o * features + f]) * out[o];
                    }
                }
            }
            case BATCHNORM -> {
                float[] gamma = model.weight(n.id() + ".gamma").data();
                float[] var = model.weight(n.id() + ".running_var").data();
                double eps = n.doubleAttr("eps", 1e-5);
                double[] in = into(importance, graph, n.input());
                for (int c = 0; c < in.length; c++) {
                    in[c] += out[c] * Math.abs(gamma[c]) / Math.sqrt(var[c] + eps);
                }
            }
            case FLATTEN -> {
                double[] in = into(importance, graph, n.input());
                int span = out.length / in.length;
                for (int f = 0; f < out.length; f++) {
                    in[f / span] += out[f];
                }
            }
            case CONCAT -> {
                int offset = 0;
                for (String src : n.inputs()) {
                    double[] in = into(importance, graph, src);
                    for (int c = 0; c < in.length; c++) {
                        in[c] += out[offset + c];
                    }
                    offset += in.length;
                }
            }
            case ADD -> n.inputs().forEach(src -> addAll(into(importance, graph, src), out));
            case RELU, RELU6, DROPOUT, MAXPOOL, AVGPOOL, GLOBAL_AVGPOOL -> addAll(into(importance, graph, n.input()), out);
            default -> throw new IllegalArgumentException("NISP cannot propagate through node '" + n.id() + "' ("
                    + n.op().key() + ")");
        }
    }

    private static double[] into(Map<String, double[]> importance, ModelGraph graph, String tensor) {
        return importance.computeIfAbsent(tensor, t -> new double[graph.shape(t)[0]]);
    }

    private static void addAll(double[] target, double[] values) {
        for (int i = 0; i < target.length; i++) {
            target[i] += values[i];
        }
    }
}

package io.prunestream.core.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import io.prunestream.core.dependency.ChannelGroup;
import io.prunestream.core.dependency.ChannelSurgery;
import io.prunestream.core.dependency.DependencyGraph;
import io.prunestream.core.dependency.PruningPlan;
import io.prunestream.core.engine.ConvolutionKernel;
import io.prunestream.core.engine.EngineNumerics;
import io.prunestream.core.engine.ReferenceConvolution;
import io.prunestream.core.engine.UnalignedChannelFault;
import io.prunestream.core.model.InputSpec;
import io.prunestream.core.model.ModelPackage;
import io.prunestream.core.model.NodeSpec;
import io.prunestream.core.model.Op;
import io.prunestream.core.zoo.GraphBuilder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A pruned model whose widths are the ones the faulty oneDNN kernels get wrong (20, 17, 24; a
 * depthwise conv over 17), run forward and backward through {@link PackageBlock} and compared with a
 * plain Java computation of the same network: logits, the input gradient and every weight gradient.
 * It runs once on this machine's engine as the self-check configured it, and once on a simulated
 * faulty engine, where the check must have switched to aligned channels for the numbers to agree.
 */
class OddChannelModelReferenceTest {

    @Test
    void prunedOddChannelModelMatchesTheJavaReferenceOnThisEngine() {
        checkAgainstReference(prunedOddModel());
    }

    @Test
    void prunedOddChannelModelMatchesTheJavaReferenceOnAFaultyEngine() {
        try (EngineNumerics.KernelOverride faulty =
                EngineNumerics.override(new UnalignedChannelFault(ConvolutionKernel.engine()))) {
            assertEquals(EngineNumerics.Mode.ALIGNED, faulty.status().mode(), faulty.status().describe());
            checkAgainstReference(prunedOddModel());
        }
    }

    /** 32-wide convs cut by surgery to 20, 17 (depthwise too) and 24 channels. */
    static ModelPackage prunedOddModel() {
        GraphBuilder b = new GraphBuilder();
        String x = b.relu(b.conv("c1", "input", 32, 3, 1, 1));
        x = b.relu(b.conv("c2", x, 32, 3, 2, 1));
        x = b.relu(b.convGrouped("dw", x, 32, 3, 1, 1, 32));
        x = b.relu(b.conv("c3", x, 32, 1, 1, 0));
        String out = b.linear("fc", b.flatten(x), 10);
        ModelPackage wide = b.build("odd", "test", new InputSpec(1, 9, 9, 0, 1), 10, out, 11);
        DependencyGraph graph = DependencyGraph.of(wide.graph());
        Map<String, Integer> keep = Map.of("c1", 20, "c2", 17, "c3", 24);
        Map<Integer, int[]> kept = new HashMap<>();
        Random random = new Random(5);
        for (ChannelGroup g : graph.prunableGroups()) {
            int k = keep.get(g.name());
            kept.put(g.id(), random.ints(0, g.size()).distinct().limit(k).sorted().toArray());
        }
        ModelPackage pruned = ChannelSurgery.apply(wide, graph, new PruningPlan(kept));
        assertEquals(20, pruned.weight("c1.weight").dim(0));
        assertEquals(17, pruned.weight("dw.weight").dim(0));
        assertEquals(24, pruned.weight("c3.weight").dim(0));
        return pruned;
    }

    private static void checkAgainstReference(ModelPackage model) {
        int batch = 3;
        InputSpec in = model.spec().input();
        Random random = new Random(9);
        float[] images = new float[batch * in.channels() * in.height() * in.width()];
        for (int i = 0; i < images.length; i++) {
            images[i] = (float) random.nextGaussian();
        }
        float[] upstream = new float[batch * model.spec().classes()];
        for (int i = 0; i < upstream.length; i++) {
            upstream[i] = (float) random.nextGaussian();
        }
        JavaNetwork reference = new JavaNetwork(model, batch);
        double[] expectedLogits = reference.forward(images);
        Map<String, double[]> expectedGrads = reference.backward(upstream);

        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            PackageBlock block = new PackageBlock(model, manager);
            ParameterStore store = new ParameterStore(manager, false);
            for (String key : block.parameterKeys()) {
                block.parameter(key).getArray().setRequiresGradient(true);
            }
            NDArray x = manager.create(images, new Shape(batch, in.channels(), in.height(), in.width()));
            x.setRequiresGradient(true);
            float[] logits;
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray y = block.forward(store, new NDList(x), true).singletonOrThrow();
                logits = y.toFloatArray();
                collector.backward(y.mul(manager.create(upstream, y.getShape())).sum());
            }
            assertClose("logits", expectedLogits, logits);
            assertClose("grad input", expectedGrads.get("input"), x.getGradient().toFloatArray());
            for (String key : List.of("c1.weight", "c2.weight", "dw.weight", "c3.weight", "fc.weight", "fc.bias")) {
                assertClose("grad " + key, expectedGrads.get(key),
                        block.parameter(key).getArray().getGradient().toFloatArray());
            }
        }
    }

    private static void assertClose(String what, double[] expected, float[] actual) {
        assertEquals(expected.length, actual.length, what);
        double scale = 1;
        for (double e : expected) {
            scale = Math.max(scale, Math.abs(e));
        }
        for (int i = 0; i < expected.length; i++) {
            double d = Math.abs(expected[i] - actual[i]);
            assertTrue(d <= 1e-4 * scale, what + "[" + i + "]: engine " + actual[i] + ", reference " + expected[i]);
        }
    }

    /** The network above in plain Java: conv / relu / flatten / linear, forward then backward. */
    private static final class JavaNetwork {
        private final ModelPackage model;
        private final int batch;
        private final List<NodeSpec> nodes;
        private final Map<String, double[]> values = new HashMap<>();
        private final Map<String, int[]> shapes = new HashMap<>();

        JavaNetwork(ModelPackage model, int batch) {
            this.model = model;
            this.batch = batch;
            this.nodes = model.graph().order();
        }

        double[] forward(float[] images) {
            InputSpec in = model.spec().input();
            values.put("input", toDouble(images));
            shapes.put("input", new int[] {in.channels(), in.height(), in.width()});
            double[] last = null;
            for (NodeSpec n : nodes) {
                double[] x = values.get(n.input());
                int[] s = shapes.get(n.input());
                double[] y;
                int[] ys;
                if (n.op() == Op.CONV2D) {
                    ReferenceConvolution conv = conv(n, s);
                    y = conv.forward(toFloat(x), model.weight(n.id() + ".weight").data(), null);
                    ys = new int[] {conv.out(), conv.outHeight(), conv.outWidth()};
                } else if (n.op() == Op.RELU) {
                    y = x.clone();
                    for (int i = 0; i < y.length; i++) {
                        y[i] = Math.max(0, y[i]);
                    }
                    ys = s;
                } else if (n.op() == Op.FLATTEN) {
                    y = x;
                    ys = new int[] {s[0] * s[1] * s[2]};
                } else if (n.op() == Op.LINEAR) {
                    float[] w = model.weight(n.id() + ".weight").data();
                    float[] bias = model.weight(n.id() + ".bias").data();
                    int out = bias.length;
                    int inF = s[0];
                    y = new double[batch * out];
                    for (int b = 0; b < batch; b++) {
                        for (int o = 0; o < out; o++) {
                            double sum = bias[o];
                            for (int i = 0; i < inF; i++) {
                                sum += (double) w[o * inF + i] * x[b * inF + i];
                            }
                            y[b * out + o] = sum;
                        }
                    }
                    ys = new int[] {out};
                } else {
                    throw new IllegalStateException("the reference has no " + n.op());
                }
                values.put(n.id(), y);
                shapes.put(n.id(), ys);
                last = y;
            }
            return last;
        }

        Map<String, double[]> backward(float[] upstream) {
            Map<String, double[]> grads = new HashMap<>();
            Map<String, double[]> dOut = new HashMap<>();
            dOut.put(nodes.get(nodes.size() - 1).id(), toDouble(upstream));
            List<NodeSpec> reversed = new ArrayList<>(nodes);
            java.util.Collections.reverse(reversed);
            for (NodeSpec n : reversed) {
                double[] g = dOut.get(n.id());
                double[] x = values.get(n.input());
                int[] s = shapes.get(n.input());
                double[] dx;
                if (n.op() == Op.CONV2D) {
                    ReferenceConvolution.Gradients cg =
                            conv(n, s).backward(toFloat(x), model.weight(n.id() + ".weight").data(), toFloat(g));
                    grads.put(n.id() + ".weight", cg.weight());
                    dx = cg.input();
                } else if (n.op() == Op.RELU) {
                    dx = g.clone();
                    for (int i = 0; i < dx.length; i++) {
                        dx[i] = x[i] > 0 ? dx[i] : 0;
                    }
                } else if (n.op() == Op.FLATTEN) {
                    dx = g;
                } else {
                    float[] w = model.weight(n.id() + ".weight").data();
                    int inF = s[0];
                    int out = g.length / batch;
                    dx = new double[batch * inF];
                    double[] dw = new double[out * inF];
                    double[] db = new double[out];
                    for (int b = 0; b < batch; b++) {
                        for (int o = 0; o < out; o++) {
                            db[o] += g[b * out + o];
                            for (int i = 0; i < inF; i++) {
                                dx[b * inF + i] += g[b * out + o] * w[o * inF + i];
                                dw[o * inF + i] += g[b * out + o] * x[b * inF + i];
                            }
                        }
                    }
                    grads.put(n.id() + ".weight", dw);
                    grads.put(n.id() + ".bias", db);
                }
                dOut.put(n.input(), dx);
            }
            grads.put("input", dOut.get("input"));
            return grads;
        }

        private ReferenceConvolution conv(NodeSpec n, int[] s) {
            int[] w = model.weight(n.id() + ".weight").shape();
            return new ReferenceConvolution(batch, s[0], w[0], s[1], s[2], w[2], n.intAttr("stride", 1),
                    n.intAttr("padding", 0), n.intAttr("groups", 1));
        }

        private static double[] toDouble(float[] v) {
            double[] d = new double[v.length];
            for (int i = 0; i < v.length; i++) {
                d[i] = v[i];
            }
            return d;
        }

        private static float[] toFloat(double[] v) {
            float[] f = new float[v.length];
            for (int i = 0; i < v.length; i++) {
                f[i] = (float) v[i];
            }
            return f;
        }
    }
}

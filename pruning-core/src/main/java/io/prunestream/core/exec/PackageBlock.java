package io.prunestream.core.exec;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.prunestream.core.engine.ConvolutionKernel;
import io.prunestream.core.engine.EngineNumerics;
import io.prunestream.core.model.ModelGraph;
import io.prunestream.core.model.ModelPackage;
import io.prunestream.core.model.NodeSpec;
import io.prunestream.core.model.Tensor;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs a model package as one DJL {@link ai.djl.nn.Block} on the current engine, for inference and
 * training. Each weight of the package becomes a {@link Parameter} named by its package key, so
 * optimisers, gradient collectors and {@link #toPackage()} all speak the package's names.
 * BN running statistics are parameters without gradients: a forward pass with {@code training}
 * true outside a gradient collector updates them and nothing else (what adaptive BN relies on).
 */
public final class PackageBlock extends AbstractBlock {
    private final ModelPackage source;
    private final ModelGraph graph;
    private final Map<String, Parameter> params = new LinkedHashMap<>();
    /** Chosen by the engine self-check; resolved here, outside any gradient collector the check could clash with. */
    private final ConvolutionKernel convolution = EngineNumerics.convolution();
    /** How many node inputs read each node's output (an input named twice counts twice). */
    private final Map<String, Integer> consumers = new HashMap<>();
    private ActivationHook hook;

    public PackageBlock(ModelPackage pkg, NDManager manager) {
        this.source = pkg;
        this.graph = pkg.graph();
        for (Map.Entry<String, Tensor> e : pkg.weights().entrySet()) {
            String key = e.getKey();
            Tensor t = e.getValue();
            NDArray array = manager.create(t.data(), new Shape(toLong(t.shape())));
            boolean running = key.endsWith(".running_mean") || key.endsWith(".running_var");
            Parameter p = Parameter.builder()
                    .setName(key)
                    .setType(typeOf(key))
                    .optArray(array)
                    .optRequiresGrad(!running)
                    .build();
            params.put(key, addParameter(p));
        }
        for (NodeSpec n : graph.order()) {
            n.inputs().forEach(src -> consumers.merge(src, 1, Integer::sum));
        }
        consumers.merge(graph.spec().output(), 1, Integer::sum); // the caller's
        inputShapes = new Shape[] {new Shape(prepend(-1, graph.shape(io.prunestream.core.model.ModelSpec.INPUT)))};
    }

    private static Parameter.Type typeOf(String key) {
        String p = key.substring(key.indexOf('.') + 1);
        return switch (p) {
            case "weight" -> Parameter.Type.WEIGHT;
            case "bias" -> Parameter.Type.BIAS;
            case "gamma" -> Parameter.Type.GAMMA;
            case "beta" -> Parameter.Type.BETA;
            case "running_mean" -> Parameter.Type.RUNNING_MEAN;
            case "running_var" -> Parameter.Type.RUNNING_VAR;
            default -> Parameter.Type.OTHER;
        };
    }

    public ModelGraph graph() {
        return graph;
    }

    public Parameter parameter(String key) {
        return params.get(key);
    }

    /** Installs a hook that sees every node's output, or removes it with {@code null}. */
    public void setHook(ActivationHook hook) {
        this.hook = hook;
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> p) {
        NDArray x = inputs.singletonOrThrow();
        if (hook != null) {
            // A hook may keep activations; they must outlive the forward pass.
            return new NDList(forwardNodes(ps, x, training, hook).get(graph.spec().output()));
        }
        return new NDList(forwardFreeing(ps, x, training, null));
    }

    /**
     * The output only, with {@code hook} seeing (and possibly replacing) every node's output, and each
     * activation closed once its last consumer has run. For hooks that transform activations without
     * keeping them (the oracle's channel removal); a hook that keeps them needs {@link #forwardNodes}.
     */
    public NDArray forwardOutput(ParameterStore ps, NDArray x, boolean training, ActivationHook hook) {
        return forwardFreeing(ps, x, training, hook);
    }

    /**
     * The output only, closing each activation once its last consumer has run: a batch then holds
     * a few activations at a time instead of all of them until its manager closes (hundreds of MB at
     * batch 256), which is what lets the engine's allocator reuse memory as PyTorch does. Closing a
     * handle does not free what autograd saved for backward; that is reference-counted natively.
     * Counts are per array, not per node, because some ops return their input (inference dropout).
     */
    private NDArray forwardFreeing(ParameterStore ps, NDArray x, boolean training, ActivationHook h) {
        Map<String, NDArray> values = new HashMap<>();
        java.util.IdentityHashMap<NDArray, Integer> pendingUses = new java.util.IdentityHashMap<>();
        values.put(io.prunestream.core.model.ModelSpec.INPUT, x);
        pendingUses.put(x, consumers.getOrDefault(io.prunestream.core.model.ModelSpec.INPUT, 0));
        for (NodeSpec n : graph.order()) {
            NDArray out = apply(n, ps, values, training, x.getDevice());
            if (h != null) {
                out = h.onOutput(n, out);
            }
            values.put(n.id(), out);
            pendingUses.merge(out, consumers.getOrDefault(n.id(), 0), Integer::sum);
            for (String src : n.inputs()) {
                NDArray used = values.get(src);
                if (pendingUses.merge(used, -1, Integer::sum) == 0 && used != x) {
                    used.close();
                }
            }
        }
        return values.get(graph.spec().output());
    }

    /** The outputs of every node for one batch; callers that need inner activations use this. */
    public Map<String, NDArray> forwardNodes(ParameterStore ps, NDArray x, boolean training, ActivationHook h) {
        Map<String, NDArray> values = new HashMap<>();
        values.put(io.prunestream.core.model.ModelSpec.INPUT, x);
        for (NodeSpec n : graph.order()) {
            NDArray out = apply(n, ps, values, training, x.getDevice());
            if (h != null) {
                out = h.onOutput(n, out);
            }
            values.put(n.id(), out);
        }
        return values;
    }

    private NDArray apply(NodeSpec n, ParameterStore ps, Map<String, NDArray> values, boolean training,
            ai.djl.Device device) {
        NDArray in = values.get(n.input());
        String id = n.id();
        switch (n.op()) {
            case CONV2D: {
                int s = n.intAttr("stride", 1);
                int pad = n.intAttr("padding", 0);
                NDArray bias = n.boolAttr("bias", false) ? value(ps, id + ".bias", device, training) : null;
                return convolution.conv2d(in, value(ps, id + ".weight", device, training), bias, s, pad,
                        n.intAttr("groups", 1));
            }
            case BATCHNORM:
                // DJL's momentum is the weight of the old statistics; the package stores PyTorch's.
                return BatchNorm.batchNorm(in, value(ps, id + ".running_mean", device, training),
                        value(ps, id + ".running_var", device, training), value(ps, id + ".gamma", device, training),
                        value(ps, id + ".beta", device, training), 1, (float) (1 - n.doubleAttr("momentum", 0.1)),
                        (float) n.doubleAttr("eps", 1e-5), training).singletonOrThrow();
            case RELU:
                return Activation.relu(in);
            case RELU6:
                return Activation.relu6(in);
            case MAXPOOL: {
                int k = n.intAttr("kernel");
                int s = n.intAttr("stride", k);
                int pad = n.intAttr("padding", 0);
                return Pool.maxPool2d(in, new Shape(k, k), new Shape(s, s), new Shape(pad, pad), false);
            }
            case AVGPOOL: {
                int k = n.intAttr("kernel");
                int s = n.intAttr("stride", k);
                int pad = n.intAttr("padding", 0);
                return Pool.avgPool2d(in, new Shape(k, k), new Shape(s, s), new Shape(pad, pad), false, true);
            }
            case GLOBAL_AVGPOOL: {
                long[] sh = in.getShape().getShape();
                return in.reshape(sh[0], sh[1], sh[2] * sh[3]).mean(new int[] {2}).reshape(sh[0], sh[1], 1, 1);
            }
            case ADD: {
                NDArray sum = in;
                for (String src : n.inputs().subList(1, n.inputs().size())) {
                    sum = sum.add(values.get(src));
                }
                return sum;
            }
            case CONCAT: {
                NDList parts = new NDList();
                n.inputs().forEach(src -> parts.add(values.get(src)));
                return NDArrays.concat(parts, 1);
            }
            case FLATTEN:
                return in.reshape(in.getShape().get(0), -1);
            case LINEAR: {
                NDArray bias = n.boolAttr("bias", true) ? value(ps, id + ".bias", device, training) : null;
                return Linear.linear(in, value(ps, id + ".weight", device, training), bias).singletonOrThrow();
            }
            case DROPOUT:
                return training ? Dropout.dropout(in, (float) n.doubleAttr("rate", 0.5), true).singletonOrThrow() : in;
            default:
                throw new IllegalStateException("no executor for op " + n.op());
        }
    }

    private NDArray value(ParameterStore ps, String key, ai.djl.Device device, boolean training) {
        return ps.getValue(params.get(key), device, training);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputs) {
        long batch = inputs[0].get(0);
        return new Shape[] {new Shape(prepend(batch, graph.shape(graph.spec().output())))};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        // Every parameter already holds the package's values.
    }

    /** The package with this block's current parameter values (after training, for example). */
    public ModelPackage toPackage() {
        Map<String, Tensor> weights = new LinkedHashMap<>();
        for (Map.Entry<String, Parameter> e : params.entrySet()) {
            NDArray a = e.getValue().getArray();
            weights.put(e.getKey(), new Tensor(source.weight(e.getKey()).shape(), a.toFloatArray()));
        }
        return new ModelPackage(source.spec(), weights);
    }

    /** The package this block was built from, without training updates. */
    public ModelPackage sourcePackage() {
        return source;
    }

    public List<String> parameterKeys() {
        return List.copyOf(params.keySet());
    }

    private static long[] toLong(int[] s) {
        long[] l = new long[s.length];
        for (int i = 0; i < s.length; i++) {
            l[i] = s[i];
        }
        return l;
    }

    private static long[] prepend(long first, int[] rest) {
        long[] l = new long[rest.length + 1];
        l[0] = first;
        for (int i = 0; i < rest.length; i++) {
            l[i + 1] = rest[i];
        }
        return l;
    }
}

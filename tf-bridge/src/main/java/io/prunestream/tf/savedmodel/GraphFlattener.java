package io.prunestream.tf.savedmodel;

import io.prunestream.core.model.ModelFormatException;
import io.prunestream.tf.savedmodel.FlatNode.Endpoint;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.tensorflow.proto.FunctionDef;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.NodeDef;

/**
 * Inlines the function calls of a TF2 SavedModel: Keras saves each signature as a call into a
 * function library (signature wrapper, model, sometimes one function per layer), so the ops to
 * convert are found by following calls from a signature's output tensor back to the placeholders
 * and variables of the main graph. Identity-like ops are looked through. Only what the requested
 * endpoint depends on is visited; nothing is executed.
 */
public final class GraphFlattener {
    private static final int MAX_CALL_DEPTH = 64;
    private static final Set<String> PASS_THROUGH =
            Set.of("Identity", "StopGradient", "Snapshot", "PreventGradient", "EnsureShape");
    private static final Set<String> CALLS = Set.of("StatefulPartitionedCall", "PartitionedCall");
    private static final List<String> FUSED_BATCH_NORM_OUTPUTS =
            List.of("y", "batch_mean", "batch_variance", "reserve_space_1", "reserve_space_2", "reserve_space_3");

    private final Map<String, FunctionDef> library = new HashMap<>();
    private final Scope main;

    public GraphFlattener(GraphDef graph) {
        graph.getLibrary().getFunctionList().forEach(f -> library.put(f.getSignature().getName(), f));
        Map<String, NodeDef> nodes = new HashMap<>();
        graph.getNodeList().forEach(n -> nodes.put(n.getName(), n));
        this.main = new Scope(null, nodes, null, null, "", 0);
    }

    /** The op behind a main-graph tensor name such as {@code StatefulPartitionedCall:0}. */
    public Endpoint resolve(String tensorName) {
        return main.resolve(tensorName);
    }

    /** A main graph, or one inlined call of a function. */
    private final class Scope {
        private final FunctionDef function;
        private final Map<String, NodeDef> nodes;
        private final Scope caller;
        private final NodeDef callNode;
        private final String prefix;
        private final int depth;
        private final Map<String, Endpoint> argCache = new HashMap<>();
        private final Map<NodeDef, FlatNode> flat = new IdentityHashMap<>();
        private final Map<NodeDef, Scope> callScopes = new IdentityHashMap<>();

        Scope(FunctionDef function, Map<String, NodeDef> nodes, Scope caller, NodeDef callNode, String prefix, int depth) {
            this.function = function;
            this.nodes = nodes;
            this.caller = caller;
            this.callNode = callNode;
            this.prefix = prefix;
            this.depth = depth;
        }

        Endpoint resolve(String ref) {
            if (function == null) {
                return output(node(TensorNames.node(ref)), TensorNames.index(ref));
            }
            String[] parts = ref.split(":");
            if (parts.length == 1) {
                return argument(ref);
            }
            NodeDef n = node(parts[0]);
            int index = parts.length > 2 ? Integer.parseInt(parts[2]) : 0;
            return output(n, port(n, parts[1], index));
        }

        private NodeDef node(String name) {
            NodeDef n = nodes.get(name);
            if (n == null) {
                throw new ModelFormatException("TensorFlow graph refers to node '" + prefix + name + "', which does not exist");
            }
            return n;
        }

        private int port(NodeDef n, String arg, int index) {
            if (n.getOp().startsWith("FusedBatchNorm")) {
                int i = FUSED_BATCH_NORM_OUTPUTS.indexOf(arg);
                return i < 0 ? index : i;
            }
            return index;
        }

        private Endpoint argument(String name) {
            Endpoint cached = argCache.get(name);
            if (cached != null) {
                return cached;
            }
            int i = 0;
            while (i < function.getSignature().getInputArgCount()
                    && !function.getSignature().getInputArg(i).getName().equals(name)) {
                i++;
            }
            if (i == function.getSignature().getInputArgCount()) {
                throw new ModelFormatException("function '" + function.getSignature().getName() + "' uses '" + name
                        + "', which is neither a node nor an argument");
            }
            Endpoint e = caller.resolve(dataInputs(callNode).get(i));
            argCache.put(name, e);
            return e;
        }

        private Endpoint output(NodeDef n, int port) {
            if (PASS_THROUGH.contains(n.getOp())) {
                return resolve(dataInputs(n).get(0));
            }
            if (n.getOp().equals("IdentityN")) {
                return resolve(dataInputs(n).get(port));
            }
            String called = calledFunction(n);
            if (called != null) {
                return call(n, called, port);
            }
            FlatNode f = flat.get(n);
            if (f == null) {
                List<Endpoint> inputs = new ArrayList<>();
                for (String in : dataInputs(n)) {
                    inputs.add(resolve(in));
                }
                f = new FlatNode(prefix + n.getName(), n.getOp(), n.getAttrMap(), inputs);
                flat.put(n, f);
            }
            return new Endpoint(f, port);
        }

        private String calledFunction(NodeDef n) {
            if (library.containsKey(n.getOp())) {
                return n.getOp();
            }
            if (CALLS.contains(n.getOp()) && n.containsAttr("f")) {
                return n.getAttrOrThrow("f").getFunc().getName();
            }
            return null;
        }

        private Endpoint call(NodeDef n, String name, int port) {
            FunctionDef f = library.get(name);
            if (f == null) {
                throw new ModelFormatException("node '" + prefix + n.getName() + "' calls function '" + name
                        + "', which the SavedModel does not define");
            }
            if (depth >= MAX_CALL_DEPTH) {
                throw new ModelFormatException("function calls nest deeper than " + MAX_CALL_DEPTH + " at '"
                        + prefix + n.getName() + "' (recursive functions are not supported)");
            }
            if (port >= f.getSignature().getOutputArgCount()) {
                throw new ModelFormatException("node '" + prefix + n.getName() + "' has no output " + port);
            }
            Map<String, NodeDef> body = new HashMap<>();
            f.getNodeDefList().forEach(d -> body.put(d.getName(), d));
            // One scope per call site: the same function called twice is two sets of ops.
            Scope inner = callScopes.computeIfAbsent(n, k -> new Scope(f, body, this, n, prefix + n.getName() + "/",
                    depth + 1));
            String ret = f.getRetOrThrow(f.getSignature().getOutputArg(port).getName());
            return inner.resolve(ret);
        }
    }

    private static List<String> dataInputs(NodeDef n) {
        return n.getInputList().stream().filter(in -> !TensorNames.isControl(in)).toList();
    }
}

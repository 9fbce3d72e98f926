package io.prunestream.tf.savedmodel;

import java.util.List;
import java.util.Map;
import org.tensorflow.proto.AttrValue;

/**
 * One op of a SavedModel after its function calls are inlined: what the converter pattern-matches.
 * {@code name} is qualified by the call sites it was inlined through, so it carries the Keras layer
 * names of every level.
 */
public final class FlatNode {
    private final String name;
    private final String op;
    private final Map<String, AttrValue> attrs;
    private final List<Endpoint> inputs;

    FlatNode(String name, String op, Map<String, AttrValue> attrs, List<Endpoint> inputs) {
        this.name = name;
        this.op = op;
        this.attrs = attrs;
        this.inputs = List.copyOf(inputs);
    }

    public String name() {
        return name;
    }

    public String op() {
        return op;
    }

    public Map<String, AttrValue> attrs() {
        return attrs;
    }

    public AttrValue attr(String key) {
        AttrValue v = attrs.get(key);
        if (v == null) {
            throw new IllegalArgumentException("TensorFlow node '" + name + "' (" + op + ") lacks attribute '" + key + "'");
        }
        return v;
    }

    public List<Endpoint> inputs() {
        return inputs;
    }

    public Endpoint input(int i) {
        return inputs.get(i);
    }

    @Override
    public String toString() {
        return name + " (" + op + ")";
    }

    /** Output {@code port} of a node; the primary output is port 0. */
    public record Endpoint(FlatNode node, int port) {
        @Override
        public String toString() {
            return port == 0 ? node.toString() : node + ":" + port;
        }
    }
}

package io.prunestream.tf.convert;

import io.prunestream.core.model.NodeSpec;
import io.prunestream.core.model.Op;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A package node under construction: a later TensorFlow op (BiasAdd) may still add to it. */
final class NodeDraft {
    final String id;
    final Op op;
    final List<String> inputs;
    final Map<String, Object> attrs = new LinkedHashMap<>();

    NodeDraft(String id, Op op, List<String> inputs) {
        this.id = id;
        this.op = op;
        this.inputs = List.copyOf(inputs);
    }

    NodeDraft attr(String key, Object value) {
        attrs.put(key, value);
        return this;
    }

    NodeSpec build() {
        return new NodeSpec(id, op, inputs, attrs);
    }
}

package io.prunestream.core.model;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One node of the model graph. Attributes by op: conv2d {out_channels, kernel, stride, padding,
 * groups, bias}; batchnorm {eps, momentum (PyTorch convention: weight of the new batch)};
 * maxpool/avgpool {kernel, stride, padding}; linear {out_features, bias}; dropout {rate}.
 */
public record NodeSpec(String id, Op op, List<String> inputs, Map<String, Object> attrs) {

    public NodeSpec {
        inputs = List.copyOf(inputs);
        attrs = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(attrs));
    }

    public int intAttr(String name, int fallback) {
        Object v = attrs.get(name);
        return v instanceof Number n ? n.intValue() : fallback;
    }

    public int intAttr(String name) {
        Object v = attrs.get(name);
        if (!(v instanceof Number n)) {
            throw new ModelFormatException("node '" + id + "' (" + op.key() + ") lacks integer attribute '" + name + "'");
        }
        return n.intValue();
    }

    public double doubleAttr(String name, double fallback) {
        Object v = attrs.get(name);
        return v instanceof Number n ? n.doubleValue() : fallback;
    }

    public boolean boolAttr(String name, boolean fallback) {
        Object v = attrs.get(name);
        return v instanceof Boolean b ? b : fallback;
    }

    public NodeSpec withAttr(String name, Object value) {
        Map<String, Object> a = new LinkedHashMap<>(attrs);
        a.put(name, value);
        return new NodeSpec(id, op, inputs, a);
    }

    public String input() {
        return inputs.get(0);
    }
}

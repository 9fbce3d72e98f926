package io.prunestream.tf.convert;

import io.prunestream.core.model.ModelSpec;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Package node ids from TensorFlow op names. Keras names ops {@code <model>/<layer>/<Op>}, nested in
 * call sites when inlined, so the layer name is the last scope that is not a call wrapper: weight keys
 * then read {@code conv2d_1.weight}, as the Keras summary does. Ids stay unique and dot-free.
 */
final class LayerNames {
    private static final Pattern CALL_WRAPPER = Pattern.compile("(Stateful)?PartitionedCall(_\\d+)?");
    private static final Pattern NOT_ALLOWED = Pattern.compile("[^A-Za-z0-9_-]");

    private final Set<String> taken = new HashSet<>(Set.of(ModelSpec.INPUT));

    /** An id for a node named {@code tfName}; {@code suffix} tells it from the layer's main op (e.g. "relu"). */
    String unique(String tfName, String suffix) {
        String base = layer(tfName, suffix);
        if (taken.add(base)) {
            return base;
        }
        String withSuffix = base + "_" + suffix;
        for (int i = 1; ; i++) {
            String candidate = i == 1 ? withSuffix : withSuffix + "_" + i;
            if (taken.add(candidate)) {
                return candidate;
            }
        }
    }

    private static String layer(String tfName, String suffix) {
        List<String> parts = List.of(tfName.split("/"));
        for (int i = parts.size() - 2; i >= 0; i--) {
            if (!CALL_WRAPPER.matcher(parts.get(i)).matches() && !parts.get(i).isEmpty()) {
                return NOT_ALLOWED.matcher(parts.get(i)).replaceAll("_");
            }
        }
        return suffix;
    }
}

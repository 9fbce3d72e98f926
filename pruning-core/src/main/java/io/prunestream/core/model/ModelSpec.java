package io.prunestream.core.model;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The graph half of a model package ({@code model.json}). Nodes may refer to {@link #INPUT} or to
 * each other by id; {@code output} names the node whose result is the class logits.
 */
public record ModelSpec(
        int formatVersion,
        String name,
        String architecture,
        InputSpec input,
        int classes,
        List<NodeSpec> nodes,
        String output,
        Map<String, Object> info) {

    public static final int FORMAT_VERSION = 1;
    public static final String INPUT = "input";

    public ModelSpec {
        nodes = List.copyOf(nodes);
        info = info == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(info));
    }

    public Optional<NodeSpec> node(String id) {
        return nodes.stream().filter(n -> n.id().equals(id)).findFirst();
    }

    public NodeSpec requireNode(String id) {
        return node(id).orElseThrow(() -> new ModelFormatException("no node '" + id + "'"));
    }

    public ModelSpec withNodes(List<NodeSpec> newNodes) {
        return new ModelSpec(formatVersion, name, architecture, input, classes, newNodes, output, info);
    }

    public ModelSpec withInfo(Map<String, Object> newInfo) {
        return new ModelSpec(formatVersion, name, architecture, input, classes, nodes, output, newInfo);
    }

    public ModelSpec withName(String newName) {
        return new ModelSpec(formatVersion, newName, architecture, input, classes, nodes, output, info);
    }
}

package io.prunestream.core.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads and writes {@code model.json}. Parsing is by hand on the JSON tree rather than by data
 * binding so that every error names the node and field at fault.
 */
public final class ModelJson {
    public static final String FORMAT = "prunestream-model";
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ModelJson() {}

    public static String write(ModelSpec spec) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("format", FORMAT);
        root.put("formatVersion", spec.formatVersion());
        root.put("name", spec.name());
        root.put("architecture", spec.architecture());
        ObjectNode in = root.putObject("input");
        in.put("channels", spec.input().channels());
        in.put("height", spec.input().height());
        in.put("width", spec.input().width());
        in.put("mean", spec.input().mean());
        in.put("std", spec.input().std());
        root.put("classes", spec.classes());
        root.put("output", spec.output());
        ArrayNode nodes = root.putArray("nodes");
        for (NodeSpec n : spec.nodes()) {
            ObjectNode o = nodes.addObject();
            o.put("id", n.id());
            o.put("op", n.op().key());
            ArrayNode ins = o.putArray("inputs");
            n.inputs().forEach(ins::add);
            if (!n.attrs().isEmpty()) {
                o.set("attrs", MAPPER.valueToTree(n.attrs()));
            }
        }
        root.set("info", MAPPER.valueToTree(spec.info()));
        try {
            return MAPPER.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new ModelFormatException("cannot write model.json: " + e.getOriginalMessage(), e);
        }
    }

    public static ModelSpec read(String json) {
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new ModelFormatException("model.json is not valid JSON (truncated?): " + e.getOriginalMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new ModelFormatException("model.json is empty or not a JSON object");
        }
        if (!FORMAT.equals(root.path("format").asText())) {
            throw new ModelFormatException("model.json: format is '" + root.path("format").asText()
                    + "', expected '" + FORMAT + "'");
        }
        int version = requireInt(root, "formatVersion", "model.json");
        if (version != ModelSpec.FORMAT_VERSION) {
            throw new ModelFormatException("model.json: unsupported formatVersion " + version
                    + " (this build reads version " + ModelSpec.FORMAT_VERSION + ")");
        }
        JsonNode in = root.path("input");
        InputSpec input = new InputSpec(requireInt(in, "channels", "model.json input"),
                requireInt(in, "height", "model.json input"), requireInt(in, "width", "model.json input"),
                in.path("mean").asDouble(0), in.path("std").asDouble(1));
        List<NodeSpec> nodes = new ArrayList<>();
        JsonNode arr = root.path("nodes");
        if (!arr.isArray() || arr.isEmpty()) {
            throw new ModelFormatException("model.json: 'nodes' must be a non-empty array");
        }
        for (int i = 0; i < arr.size(); i++) {
            nodes.add(readNode(arr.get(i), i));
        }
        Map<String, Object> info = root.has("info") ? MAPPER.convertValue(root.get("info"), Map.class) : Map.of();
        return new ModelSpec(version, root.path("name").asText("model"), root.path("architecture").asText("custom"),
                input, requireInt(root, "classes", "model.json"), nodes, root.path("output").asText(null), info);
    }

    private static NodeSpec readNode(JsonNode o, int index) {
        String id = o.path("id").asText(null);
        if (id == null) {
            throw new ModelFormatException("model.json: node #" + index + " has no id");
        }
        String opKey = o.path("op").asText("");
        Op op = Op.fromKey(opKey);
        if (op == null) {
            throw new ModelFormatException("node '" + id + "': unknown op '" + opKey + "' (known: " + Op.knownKeys() + ")");
        }
        List<String> inputs = new ArrayList<>();
        o.path("inputs").forEach(v -> inputs.add(v.asText()));
        Map<String, Object> attrs = new LinkedHashMap<>();
        o.path("attrs").fields().forEachRemaining(e -> {
            JsonNode v = e.getValue();
            attrs.put(e.getKey(), v.isBoolean() ? (Object) v.asBoolean()
                    : v.isIntegralNumber() ? (Object) v.asInt()
                    : v.isNumber() ? (Object) v.asDouble() : v.asText());
        });
        return new NodeSpec(id, op, inputs, attrs);
    }

    private static int requireInt(JsonNode node, String field, String where) {
        JsonNode v = node.get(field);
        if (v == null || !v.isIntegralNumber()) {
            throw new ModelFormatException(where + ": '" + field + "' must be an integer");
        }
        return v.asInt();
    }
}

package io.prunestream.pipeline.stage;

import com.fasterxml.jackson.core.type.TypeReference;
import io.prunestream.pipeline.Json;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

/** Channel scores as they travel between scorer and pruner: criterion name and one array per group id. */
public record ScoreArtifact(String criterion, Map<Integer, float[]> groups) {
    public byte[] toBytes() {
        return Json.toJson(this).getBytes(StandardCharsets.UTF_8);
    }

    public static ScoreArtifact fromBytes(byte[] bytes) {
        try {
            Map<String, Object> raw = Json.mapper().readValue(bytes, new TypeReference<Map<String, Object>>() {});
            Map<Integer, float[]> groups = new TreeMap<>();
            Map<String, float[]> parsed = Json.mapper().convertValue(raw.get("groups"),
                    new TypeReference<Map<String, float[]>>() {});
            parsed.forEach((k, v) -> groups.put(Integer.parseInt(k), v));
            return new ScoreArtifact((String) raw.get("criterion"), groups);
        } catch (java.io.IOException | RuntimeException e) {
            throw new StageFailure("scores artifact cannot be read: " + e.getMessage(), e);
        }
    }
}

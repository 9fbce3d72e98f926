package io.prunestream.pipeline.stage;

import java.util.Map;

/** One record a stage sends: topic, key (the job id) and JSON value, plus headers. */
public record Outgoing(String topic, String key, String value, Map<String, String> headers) {
    public Outgoing {
        headers = headers == null ? Map.of() : Map.copyOf(headers);
    }

    public Outgoing(String topic, String key, String value) {
        this(topic, key, value, Map.of());
    }
}

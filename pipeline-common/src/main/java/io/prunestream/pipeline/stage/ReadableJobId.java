package io.prunestream.pipeline.stage;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.prunestream.pipeline.JobIds;
import java.util.Optional;

/**
 * The job a consumed record belongs to when the record itself cannot be decoded, so that its producer
 * still gets an error result instead of waiting for ever: the value's top-level textual {@code jobId}
 * if the value parses as JSON at all, read leniently (comments, single quotes, trailing commas, ...),
 * since a record that fails the strict decoder is exactly the one that may bend the syntax; else the
 * record key, which by the topics' contract is the job id. Only ids {@link JobIds#isValid} accepts
 * count: they become ledger paths and result keys.
 */
final class ReadableJobId {
    private static final ObjectMapper LENIENT = JsonMapper.builder()
            .enable(JsonReadFeature.ALLOW_JAVA_COMMENTS, JsonReadFeature.ALLOW_YAML_COMMENTS,
                    JsonReadFeature.ALLOW_SINGLE_QUOTES, JsonReadFeature.ALLOW_UNQUOTED_FIELD_NAMES,
                    JsonReadFeature.ALLOW_TRAILING_COMMA, JsonReadFeature.ALLOW_MISSING_VALUES,
                    JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS, JsonReadFeature.ALLOW_LEADING_ZEROS_FOR_NUMBERS,
                    JsonReadFeature.ALLOW_UNESCAPED_CONTROL_CHARS, JsonReadFeature.ALLOW_BACKSLASH_ESCAPING_ANY_CHARACTER)
            .build();

    private ReadableJobId() {}

    static Optional<String> of(InboundRecord record) {
        return fromValue(record.value()).or(() -> Optional.ofNullable(record.key()).filter(JobIds::isValid));
    }

    static Optional<String> fromValue(String value) {
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        try {
            JsonNode id = LENIENT.readTree(value).path("jobId");
            return id.isTextual() && JobIds.isValid(id.textValue()) ? Optional.of(id.textValue()) : Optional.empty();
        } catch (Exception e) {
            // Not JSON even by lenient rules (or over Jackson's size limits): no id in it.
            return Optional.empty();
        }
    }
}

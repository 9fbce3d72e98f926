package io.prunestream.pipeline;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The JSON encoding of every pipeline record, with one shared mapper.
 *
 * <p>Unknown properties are ignored so that an older service can read what a newer one adds; the
 * {@code formatVersion} check is what stops it from reading a record whose meaning changed.
 */
public final class Json {
    private static final int MAX_ECHOED_INPUT = 200;
    private static final String FORMAT_VERSION = "formatVersion";
    private static final Pattern SOURCE_LOCATION = Pattern.compile("\\[Source: .*?; line: (\\d+), column: (\\d+)\\]");

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS)
            .serializationInclusion(JsonInclude.Include.NON_NULL)
            .build();

    private Json() {}

    /** The shared mapper. Shared means: read and write with it, never reconfigure it. */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    public static String toJson(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new MessageFormatException("cannot encode " + value.getClass().getSimpleName() + " as JSON: "
                    + e.getOriginalMessage(), e);
        }
    }

    public static <T> T fromJson(byte[] json, Class<T> type) {
        return fromJson(json == null ? null : new String(json, StandardCharsets.UTF_8), type);
    }

    /** Decodes a record; every failure is a {@link MessageFormatException} saying what is wrong and where. */
    public static <T> T fromJson(String json, Class<T> type) {
        String what = type.getSimpleName();
        if (json == null || json.isBlank()) {
            throw new MessageFormatException("cannot decode " + what + ": the input is empty");
        }
        try {
            JsonNode tree = MAPPER.readTree(json);
            if (Versioned.class.isAssignableFrom(type)) {
                checkFormatVersion(tree, what);
            }
            return MAPPER.treeToValue(tree, type);
        } catch (JsonProcessingException e) {
            throw new MessageFormatException("cannot decode " + what + ": " + describe(e) + "; input: "
                    + abbreviate(json), e);
        }
    }

    /** Checked before binding: a record of another version may not even bind, and that error would mislead. */
    private static void checkFormatVersion(JsonNode tree, String what) {
        if (!tree.isObject()) {
            throw new MessageFormatException("cannot decode " + what + ": expected a JSON object, got "
                    + tree.getNodeType().name().toLowerCase());
        }
        JsonNode version = tree.get(FORMAT_VERSION);
        if (version == null || !version.canConvertToExactIntegral()) {
            throw new MessageFormatException("cannot decode " + what + ": no integer " + FORMAT_VERSION
                    + " (this build reads formatVersion " + Versioned.CURRENT_FORMAT + ")");
        }
        try {
            Versioned.requireSupported(version.asInt(), what);
        } catch (IllegalArgumentException e) {
            throw new MessageFormatException("cannot decode: " + e.getMessage(), e);
        }
    }

    /** Jackson's own messages carry Java type noise; keep the part a person can act on. */
    private static String describe(JsonProcessingException e) {
        Throwable cause = e.getCause();
        String detail = cause instanceof IllegalArgumentException || cause instanceof NullPointerException
                ? cause.getMessage()
                : SOURCE_LOCATION.matcher(e.getOriginalMessage()).replaceAll("line $1, column $2");
        if (e instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
            detail += " (at " + path(mapping) + ")";
        } else if (e.getLocation() != null && e.getLocation().getLineNr() > 0) {
            detail += " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
        }
        return detail;
    }

    private static String path(JsonMappingException e) {
        return e.getPath().stream()
                .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                .collect(Collectors.joining("."))
                .replace(".[", "[");
    }

    private static String abbreviate(String json) {
        String oneLine = json.strip().replaceAll("\\s+", " ");
        return oneLine.length() <= MAX_ECHOED_INPUT ? oneLine : oneLine.substring(0, MAX_ECHOED_INPUT) + "...";
    }
}

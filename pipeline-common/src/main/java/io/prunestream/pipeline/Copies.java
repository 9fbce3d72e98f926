package io.prunestream.pipeline;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Immutable copies for record components. Maps keep their order so that JSON output and reports
 * read in the order entries were added; a missing collection reads as empty.
 */
final class Copies {
    private Copies() {}

    static <K, V> Map<K, V> map(Map<K, V> source, String what) {
        if (source == null || source.isEmpty()) {
            return Map.of();
        }
        Map<K, V> copy = new LinkedHashMap<>();
        source.forEach((k, v) -> {
            if (k == null || v == null) {
                throw new IllegalArgumentException(what + " has a null " + (k == null ? "key" : "value for '" + k + "'"));
            }
            copy.put(k, v);
        });
        return Collections.unmodifiableMap(copy);
    }

    static <T> List<T> list(List<T> source, String what) {
        if (source == null) {
            return List.of();
        }
        for (T item : source) {
            if (item == null) {
                throw new IllegalArgumentException(what + " has a null entry");
            }
        }
        return List.copyOf(source);
    }
}

package io.prunestream.pipeline;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The four kinds of work a job passes through; each is served by one service. */
public enum StageKind {
    SCORE,
    PRUNE,
    EVALUATE,
    FINETUNE;

    /** The name used in routing slips: {@code score}, {@code prune}, ... */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static StageKind fromId(String id) {
        for (StageKind kind : values()) {
            if (kind.id().equalsIgnoreCase(id.trim())) {
                return kind;
            }
        }
        throw new IllegalArgumentException("unknown stage kind '" + id + "' (known: " + knownIds() + ")");
    }

    static String knownIds() {
        return Arrays.stream(values()).map(StageKind::id).collect(Collectors.joining(", "));
    }
}

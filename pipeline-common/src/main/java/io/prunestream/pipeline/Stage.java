package io.prunestream.pipeline;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One step of a routing slip: a kind and an optional variant naming the method, written
 * {@code kind[:variant]} ({@code score:fpgm}, {@code evaluate:adaptive-bn}, {@code finetune}).
 *
 * @param variant the method for this step, or {@code null} to let the service use its default
 */
public record Stage(StageKind kind, String variant) {
    /** Variants end up in idempotency keys and artifact names, so they are kept to path-safe characters. */
    private static final Pattern VARIANT = Pattern.compile("[A-Za-z0-9._-]+");
    /**
     * Variants become parts of ledger file names: a longer one could exceed the file system's name
     * limit and fail the record on every delivery instead of failing the job once.
     */
    public static final int MAX_VARIANT_LENGTH = 64;

    public static final Stage EVALUATE_ADAPTIVE_BN = new Stage(StageKind.EVALUATE, "adaptive-bn");
    public static final Stage FINETUNE = new Stage(StageKind.FINETUNE, null);
    public static final Stage EVALUATE_FINAL = new Stage(StageKind.EVALUATE, "final");

    public Stage {
        Objects.requireNonNull(kind, "stage kind");
        if (variant != null && !VARIANT.matcher(variant).matches()) {
            throw new IllegalArgumentException("stage variant '" + variant + "' of " + kind.id()
                    + " may use only letters, digits, '.', '_' and '-'");
        }
        if (variant != null && variant.length() > MAX_VARIANT_LENGTH) {
            throw new IllegalArgumentException("stage variant of " + kind.id() + " is " + variant.length()
                    + " characters long, at most " + MAX_VARIANT_LENGTH + " are allowed");
        }
    }

    public static Stage of(StageKind kind) {
        return new Stage(kind, null);
    }

    public static Stage of(StageKind kind, String variant) {
        return new Stage(kind, variant);
    }

    public static Stage parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("empty stage: expected kind[:variant], kinds: " + StageKind.knownIds());
        }
        String trimmed = text.trim();
        int colon = trimmed.indexOf(':');
        if (colon < 0) {
            return of(StageKind.fromId(trimmed));
        }
        String variant = trimmed.substring(colon + 1).trim();
        if (variant.isEmpty()) {
            throw new IllegalArgumentException("stage '" + trimmed + "' has an empty variant: write '"
                    + trimmed.substring(0, colon).trim() + "' alone for the service default");
        }
        return of(StageKind.fromId(trimmed.substring(0, colon)), variant);
    }

    public String variantOr(String fallback) {
        return variant == null ? fallback : variant;
    }

    @Override
    public String toString() {
        return variant == null ? kind.id() : kind.id() + ":" + variant;
    }
}

package io.prunestream.pipeline;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A claim check: where an artifact lies in the store and what it must look like when fetched. Only
 * the reference travels through Kafka; the store checks size and checksum on every fetch.
 *
 * @param path relative to the store's root, '/'-separated; the store confines it to itself
 */
public record ArtifactRef(int formatVersion, String path, long size, String sha256) implements Versioned {
    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");

    public ArtifactRef {
        Versioned.requireSupported(formatVersion, "ArtifactRef");
        if (path == null || path.isBlank()) {
            throw new IllegalArgumentException("artifact path is empty");
        }
        if (size < 0) {
            throw new IllegalArgumentException("artifact '" + path + "' has negative size " + size);
        }
        sha256 = sha256 == null ? null : sha256.toLowerCase(Locale.ROOT);
        if (sha256 == null || !SHA256_HEX.matcher(sha256).matches()) {
            throw new IllegalArgumentException("artifact '" + path + "' needs a sha256 of 64 hex digits, got '"
                    + sha256 + "'");
        }
    }

    public ArtifactRef(String path, long size, String sha256) {
        this(CURRENT_FORMAT, path, size, sha256);
    }
}

package io.prunestream.pipeline;

import java.net.URI;
import java.nio.file.Path;
import java.util.Locale;

/** Builds a store from the location users configure: a folder path or URI. */
public final class ArtifactStores {
    private ArtifactStores() {}

    /**
     * {@code /path}, {@code relative/path} or {@code file:///path}: a {@link DirectoryArtifactStore}.
     * {@code s3://bucket/prefix} needs an S3 client this library does not carry, so it is refused with
     * directions rather than half-supported.
     */
    public static ArtifactStore fromUri(String location) {
        if (location == null || location.isBlank()) {
            throw new IllegalArgumentException("artifact store location is empty: give a folder, file:///folder "
                    + "or s3://bucket/prefix");
        }
        String trimmed = location.trim();
        String scheme = scheme(trimmed);
        if (scheme == null) {
            return new DirectoryArtifactStore(Path.of(trimmed));
        }
        return switch (scheme) {
            case "file" -> new DirectoryArtifactStore(fileUriPath(trimmed));
            case "s3" -> throw new IllegalArgumentException("artifact store " + trimmed + " is S3, which needs a "
                    + "client: construct new S3ArtifactStore(client, prefix, cacheDir) with an ObjectStorageClient "
                    + "wrapping your S3 SDK client, bound to the bucket");
            default -> throw new IllegalArgumentException("artifact store " + trimmed + ": unsupported scheme '"
                    + scheme + "' (use a folder, file:///folder or s3://bucket/prefix)");
        };
    }

    /** A scheme needs "letters:" and at least one more letter, so a bare folder name is never one. */
    private static String scheme(String location) {
        int colon = location.indexOf(':');
        if (colon < 2 || location.indexOf('/') >= 0 && location.indexOf('/') < colon) {
            return null;
        }
        String scheme = location.substring(0, colon);
        return scheme.matches("[A-Za-z][A-Za-z0-9+.-]*") ? scheme.toLowerCase(Locale.ROOT) : null;
    }

    private static Path fileUriPath(String uri) {
        try {
            return Path.of(URI.create(uri));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("artifact store " + uri + " is not a usable file URI (write "
                    + "file:///absolute/folder): " + e.getMessage(), e);
        }
    }
}

package io.prunestream.pipeline;

import java.net.URI;
import java.nio.file.Path;
import java.util.Locale;

/** Builds a store from the location users configure: a folder path or URI. */
public final class ArtifactStores {
    private ArtifactStores() {}

    /**
     * {@code /path}, {@code relative/path} or {@code file:///path}: a {@link DirectoryArtifactStore}.
     * {@code s3://bucket/prefix}: an {@link S3ArtifactStore} reached as {@link S3Settings#fromEnvironment}
     * says, caching what it fetches in the system's temporary folder.
     */
    public static ArtifactStore fromUri(String location) {
        return fromUri(location, S3Settings.fromEnvironment(),
                Path.of(System.getProperty("java.io.tmpdir"), "prunestream-s3-cache"));
    }

    /** As {@link #fromUri(String)}, with the S3 settings and the local cache of an S3 store given. */
    public static ArtifactStore fromUri(String location, S3Settings s3, Path s3Cache) {
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
            case "s3" -> s3Store(trimmed, s3, s3Cache);
            default -> throw new IllegalArgumentException("artifact store " + trimmed + ": unsupported scheme '"
                    + scheme + "' (use a folder, file:///folder or s3://bucket/prefix)");
        };
    }

    private static ArtifactStore s3Store(String location, S3Settings settings, Path cache) {
        String rest = location.substring("s3://".length());
        int slash = rest.indexOf('/');
        String bucket = slash < 0 ? rest : rest.substring(0, slash);
        String prefix = slash < 0 ? "" : rest.substring(slash + 1);
        // S3's own bucket naming rule, so that a typo fails here and not at the first request.
        if (!bucket.matches("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")) {
            throw new IllegalArgumentException("artifact store " + location + ": '" + bucket + "' is not an S3 bucket "
                    + "name (3-63 characters: a-z 0-9 . -); write s3://bucket/prefix");
        }
        return new S3ArtifactStore(new AwsS3ObjectStorageClient(bucket, settings), prefix, cache.resolve(bucket));
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

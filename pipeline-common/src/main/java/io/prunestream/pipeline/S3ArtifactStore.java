package io.prunestream.pipeline;

import java.nio.file.Path;
import java.util.EnumSet;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Artifacts in S3-compatible object storage, under a key prefix, for users who have it instead of a
 * shared volume. It talks to storage only through {@link ObjectStorageClient}:
 * {@link AwsS3ObjectStorageClient} in deployments ({@link ArtifactStores#fromUri} with
 * {@code s3://bucket/prefix}), tested against a real S3 API server; {@link InMemoryObjectStorageClient}
 * where a test needs to count requests.
 *
 * <p>{@link #fetch} downloads into a local cache folder (a {@link DirectoryArtifactStore}, so the
 * same confinement rules apply) and serves the cached copy while it still verifies.
 */
public final class S3ArtifactStore extends ContentAddressedStore {
    /** A cached copy with one of these problems is downloaded again rather than reported. */
    private static final Set<ArtifactException.Reason> STALE_CACHE = EnumSet.of(ArtifactException.Reason.NOT_FOUND,
            ArtifactException.Reason.SIZE_MISMATCH, ArtifactException.Reason.CHECKSUM_MISMATCH);

    private final ObjectStorageClient bucket;
    private final String prefix;
    private final DirectoryArtifactStore cache;

    /**
     * @param bucket the client, bound to the bucket to use
     * @param prefix key prefix for all artifacts (e.g. {@code prunestream/artifacts}); may be empty
     * @param cacheDir local folder for fetched copies
     */
    public S3ArtifactStore(ObjectStorageClient bucket, String prefix, Path cacheDir) {
        this.bucket = bucket;
        this.prefix = normalizePrefix(prefix);
        this.cache = new DirectoryArtifactStore(cacheDir);
    }

    @Override
    public Path fetch(ArtifactRef ref) {
        try {
            return cache.fetch(ref);
        } catch (ArtifactException e) {
            if (!STALE_CACHE.contains(e.reason())) {
                throw e;
            }
        }
        cache.write(ref.path(), read(ref));
        return cache.fetch(ref);
    }

    /** {@code s3://bucket/prefix/path}: what producers can also read and write with any S3 client. */
    @Override
    public String uri(ArtifactRef ref) {
        return "s3://" + bucket.bucket() + "/" + objectKey(ref.path());
    }

    /** A path in the store, or an {@code s3://} URI of this bucket under this prefix. */
    @Override
    public String pathOf(String uri) {
        if (!uri.contains("://")) {
            return uri;
        }
        String inBucket = "s3://" + bucket.bucket() + "/";
        String under = inBucket + (prefix.isEmpty() ? "" : prefix + "/");
        if (!uri.startsWith(under)) {
            throw new IllegalArgumentException("model uri '" + uri + "' is not in this pipeline's store, "
                    + under + "...: upload it with POST /models, or copy it there");
        }
        return uri.substring(under.length());
    }

    @Override
    protected OptionalLong storedSize(String key) {
        return bucket.head(objectKey(key));
    }

    @Override
    protected void write(String key, byte[] content) {
        bucket.put(objectKey(key), content);
    }

    @Override
    protected byte[] readKey(String key) {
        return bucket.get(objectKey(key)).orElseThrow(() -> notFound(key));
    }

    @Override
    protected java.util.List<String> listKeys(String folder) {
        String strip = this.prefix.isEmpty() ? "" : this.prefix + "/";
        // Keys ending in '/' are folder markers (consoles and some servers make them), not artifacts.
        return bucket.list(objectKey(folder) + "/").stream().filter(k -> !k.endsWith("/"))
                .map(k -> k.substring(strip.length())).toList();
    }

    @Override
    protected void deleteKey(String key) {
        bucket.delete(objectKey(key));
        // This process's cached copy goes too; other processes' caches are theirs to lose with their disks.
        cache.deleteKey(key);
    }

    @Override
    protected String describe() {
        return "the object store" + (prefix.isEmpty() ? "" : " under '" + prefix + "/'");
    }

    private String objectKey(String key) {
        StoreKeys.requireRelative(key, describe());
        return prefix.isEmpty() ? key : prefix + "/" + key;
    }

    private static String normalizePrefix(String prefix) {
        String trimmed = prefix == null ? "" : prefix.replaceAll("^/+|/+$", "");
        return trimmed.isEmpty() ? "" : StoreKeys.requireRelative(trimmed, "the S3 store prefix");
    }
}

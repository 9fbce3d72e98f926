package io.prunestream.pipeline;

import java.util.Optional;
import java.util.OptionalLong;

/**
 * The little {@link S3ArtifactStore} needs from object storage, bound to one bucket: PutObject,
 * GetObject, HeadObject. {@link AwsS3ObjectStorageClient} is the real one.
 */
public interface ObjectStorageClient {
    /** The bucket this client is bound to, for {@code s3://bucket/key} references. */
    String bucket();

    /** Stores the object whole; object stores make a put visible all at once. */
    void put(String key, byte[] content);

    /** The object's bytes, or empty if there is no such key. */
    Optional<byte[]> get(String key);

    /** The object's size in bytes, or empty if there is no such key. */
    OptionalLong head(String key);

    /** Every key starting with {@code prefix}. */
    java.util.List<String> list(String prefix);

    /** Removes the object; a missing key is not an error, as in S3. */
    void delete(String key);
}

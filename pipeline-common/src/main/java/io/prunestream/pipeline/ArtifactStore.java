package io.prunestream.pipeline;

import io.prunestream.core.model.ModelPackage;
import io.prunestream.core.model.PackageIO;
import java.nio.file.Path;

/**
 * Where models and scores live while their references travel through Kafka (claim check).
 *
 * <p>Content is addressed by name plus checksum, so storing the same content twice is a no-op and a
 * redelivered stage never overwrites an artifact an earlier message still points at. Every read
 * verifies size and sha256 against the reference and throws {@link ArtifactException} on mismatch.
 */
public interface ArtifactStore {
    /**
     * Stores a file, or a folder (a model package) as a zip.
     *
     * @param name a logical name such as {@code job-42/candidate}; sanitised into a store path
     */
    ArtifactRef put(String name, Path fileOrDir);

    ArtifactRef putBytes(String name, byte[] content);

    /** A verified local file holding the artifact; do not modify it. */
    Path fetch(ArtifactRef ref);

    /** The verified content. */
    byte[] read(ArtifactRef ref);

    /** Stores a model package as a zip. */
    ArtifactRef putModel(String name, ModelPackage model);

    default ModelPackage loadModel(ArtifactRef ref) {
        return PackageIO.load(fetch(ref));
    }
}

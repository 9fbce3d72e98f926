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

    /** The paths of every artifact whose path starts with {@code folder + "/"}, e.g. all of one job's. */
    java.util.List<String> list(String folder);

    /** Removes an artifact; removing one that is not there is not an error (a repeated clean-up). */
    void delete(String path);

    default ModelPackage loadModel(ArtifactRef ref) {
        return PackageIO.load(fetch(ref));
    }

    /** How a producer names an artifact of this store (a submission's model uri): here, its path. */
    default String uri(ArtifactRef ref) {
        return ref.path();
    }

    /**
     * The store path a producer's uri names; throws {@link IllegalArgumentException} saying why when
     * the uri cannot name anything in this store. Whether the path stays inside the store is checked
     * where every path is, on read.
     */
    default String pathOf(String uri) {
        if (uri.contains("://")) {
            throw new IllegalArgumentException("model uri '" + uri + "' names another store: this pipeline keeps "
                    + "artifacts in a folder, so give a path relative to it, as POST /models answers");
        }
        return uri;
    }
}

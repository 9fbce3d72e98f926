package io.prunestream.pipeline;

import io.prunestream.core.model.ModelPackage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * What every store does the same way: naming content by checksum, skipping puts of content already
 * there, and verifying what is read. Subclasses only move bytes under a key.
 *
 * <p>Content goes through memory as one array: packages are read whole by {@link
 * io.prunestream.core.model.PackageIO} anyway, and the models here are megabytes, not gigabytes.
 */
abstract class ContentAddressedStore implements ArtifactStore {
    private static final String ZIP = ".zip";

    @Override
    public final ArtifactRef put(String name, Path fileOrDir) {
        if (Files.isDirectory(fileOrDir)) {
            return store(name, DeterministicZip.ofFolder(fileOrDir), ZIP);
        }
        try {
            return store(name, Files.readAllBytes(fileOrDir), "");
        } catch (IOException e) {
            throw new ArtifactException(ArtifactException.Reason.NOT_FOUND, "cannot store '" + name + "': nothing "
                    + "readable at " + fileOrDir + " (" + e + ")", e);
        }
    }

    @Override
    public final ArtifactRef putBytes(String name, byte[] content) {
        return store(name, content, "");
    }

    @Override
    public final ArtifactRef putModel(String name, ModelPackage model) {
        return store(name, DeterministicZip.ofModel(model), ZIP);
    }

    @Override
    public final byte[] read(ArtifactRef ref) {
        byte[] content = readKey(ref.path());
        verify(ref, content.length, () -> Sha256.hex(content));
        return content;
    }

    private ArtifactRef store(String name, byte[] content, String defaultExtension) {
        String sha256 = Sha256.hex(content);
        String key = StoreKeys.contentKey(name, sha256, defaultExtension);
        // The key names the content, so a key holding as many bytes already holds this content; a
        // damaged copy of equal size would still be caught by the checksum on read.
        if (storedSize(key).orElse(-1) != content.length) {
            write(key, content);
        }
        return new ArtifactRef(key, content.length, sha256);
    }

    /** Size first: it is free and catches truncation without hashing. */
    protected final void verify(ArtifactRef ref, long actualSize, ChecksumSource actualSha256) {
        if (actualSize != ref.size()) {
            throw new ArtifactException(ArtifactException.Reason.SIZE_MISMATCH, "artifact '" + ref.path() + "' in "
                    + describe() + " is " + actualSize + " bytes, its reference says " + ref.size()
                    + ": truncated or replaced");
        }
        String sha256;
        try {
            sha256 = actualSha256.get();
        } catch (IOException e) {
            throw ioError(ref.path(), e);
        }
        if (!sha256.equals(ref.sha256())) {
            throw new ArtifactException(ArtifactException.Reason.CHECKSUM_MISMATCH, "artifact '" + ref.path()
                    + "' in " + describe() + " fails its checksum: sha256 " + sha256 + ", its reference says "
                    + ref.sha256() + ": corrupted or replaced");
        }
    }

    protected final ArtifactException notFound(String key) {
        return new ArtifactException(ArtifactException.Reason.NOT_FOUND, "artifact '" + key + "' not found in "
                + describe() + " (never stored there, or deleted since)");
    }

    protected final ArtifactException ioError(String key, IOException e) {
        return new ArtifactException(ArtifactException.Reason.IO_ERROR, "cannot access artifact '" + key + "' in "
                + describe() + ": " + e, e);
    }

    @Override
    public final java.util.List<String> list(String folder) {
        String bare = folder.endsWith("/") ? folder.substring(0, folder.length() - 1) : folder;
        StoreKeys.requireRelative(bare, describe());
        return listKeys(bare);
    }

    @Override
    public final void delete(String path) {
        StoreKeys.requireRelative(path, describe());
        deleteKey(path);
    }

    /** Keys of everything inside the folder, at any depth; hidden temporary files left out. */
    protected abstract java.util.List<String> listKeys(String folder);

    protected abstract void deleteKey(String key);

    /** Size of what is stored under the key, or empty when nothing is. */
    protected abstract OptionalLong storedSize(String key);

    /** Stores the content so that readers see all of it or none. */
    protected abstract void write(String key, byte[] content);

    /** The stored bytes, unverified; throws {@link #notFound} when absent. */
    protected abstract byte[] readKey(String key);

    /** Names the store in error messages. */
    protected abstract String describe();

    @FunctionalInterface
    protected interface ChecksumSource {
        String get() throws IOException;
    }
}

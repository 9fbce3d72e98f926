package io.prunestream.pipeline;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.OptionalLong;

/**
 * Artifacts as files under a root folder: the default store, and on Kubernetes a shared volume.
 *
 * <p>Paths come from messages, so every one is confined to the root: lexically (no absolute paths,
 * no {@code ..}) and physically (no symbolic link leading out). Writes go to a temporary file that is
 * then renamed, so a reader on another node never sees half a file.
 */
public final class DirectoryArtifactStore extends ContentAddressedStore {
    private final Path root;

    public DirectoryArtifactStore(Path root) {
        try {
            Files.createDirectories(root);
            // The real path: containment checks compare real paths, whatever links lead to the root.
            this.root = root.toRealPath();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot use " + root + " as artifact store: " + e.getMessage(), e);
        }
    }

    public Path root() {
        return root;
    }

    /** The artifact's file inside the store, after verifying it; no copy is made. */
    @Override
    public Path fetch(ArtifactRef ref) {
        Path file = resolve(ref.path());
        long size = storedSize(ref.path()).orElseThrow(() -> notFound(ref.path()));
        verify(ref, size, () -> Sha256.hex(file));
        return file;
    }

    @Override
    protected OptionalLong storedSize(String key) {
        Path file = resolve(key);
        try {
            return Files.isRegularFile(file) ? OptionalLong.of(Files.size(file)) : OptionalLong.empty();
        } catch (IOException e) {
            throw ioError(key, e);
        }
    }

    @Override
    protected void write(String key, byte[] content) {
        Path target = resolve(key);
        Path tmp = null;
        try {
            Files.createDirectories(target.getParent());
            // Hidden temp name: sanitised keys never start with '.', so no reader can ask for it.
            tmp = Files.createTempFile(target.getParent(), ".put-", ".tmp");
            Files.write(tmp, content);
            moveIntoPlace(tmp, target);
        } catch (IOException e) {
            throw ioError(key, e);
        } finally {
            deleteQuietly(tmp);
        }
    }

    @Override
    protected byte[] readKey(String key) {
        Path file = resolve(key);
        try {
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw notFound(key);
        } catch (IOException e) {
            throw ioError(key, e);
        }
    }

    @Override
    protected java.util.List<String> listKeys(String prefix) {
        Path folder = resolve(prefix);
        if (!Files.isDirectory(folder)) {
            return java.util.List.of();
        }
        try (java.util.stream.Stream<Path> files = Files.walk(folder)) {
            return files.filter(Files::isRegularFile)
                    .filter(f -> !f.getFileName().toString().startsWith("."))
                    .map(f -> root.relativize(f).toString().replace(java.io.File.separatorChar, '/'))
                    .sorted().toList();
        } catch (IOException e) {
            throw ioError(prefix, e);
        }
    }

    @Override
    protected void deleteKey(String key) {
        try {
            Files.deleteIfExists(resolve(key));
        } catch (IOException e) {
            throw ioError(key, e);
        }
    }

    @Override
    protected String describe() {
        return "the artifact store at " + root;
    }

    /** Maps a key to a path under the root, or throws if it would end up anywhere else. */
    Path resolve(String key) {
        StoreKeys.requireRelative(key, describe());
        Path candidate = root.resolve(key).normalize();
        if (!candidate.startsWith(root)) {
            throw StoreKeys.rejected(key, describe(), "it resolves outside the store");
        }
        Path existing = deepestExisting(candidate);
        try {
            if (!existing.toRealPath().startsWith(root)) {
                throw StoreKeys.rejected(key, describe(), "a symbolic link at " + existing + " leads outside the store");
            }
        } catch (IOException e) {
            throw ioError(key, e);
        }
        return candidate;
    }

    /**
     * Links are judged by the deepest part of the path that exists: for a read that is the file itself,
     * for a write the folder it will be created in.
     */
    private Path deepestExisting(Path path) {
        Path p = path;
        while (!Files.exists(p) && !p.equals(root)) {
            p = p.getParent();
        }
        return p;
    }

    private static void moveIntoPlace(Path tmp, Path target) throws IOException {
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static void deleteQuietly(Path tmp) {
        if (tmp == null) {
            return;
        }
        try {
            Files.deleteIfExists(tmp);
        } catch (IOException ignored) {
            // A stray hidden temp file is harmless; the write's own outcome is what matters.
        }
    }
}

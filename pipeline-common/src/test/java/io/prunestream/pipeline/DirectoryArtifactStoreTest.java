package io.prunestream.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DirectoryArtifactStoreTest extends ArtifactStoreContract {
    private Path root;
    private DirectoryArtifactStore store;

    @BeforeEach
    void createStore() {
        root = tmp.resolve("store");
        store = new DirectoryArtifactStore(root);
    }

    @Override
    ArtifactStore store() {
        return store;
    }

    @Override
    void replaceStored(String key, byte[] content) throws Exception {
        write(root.resolve(key), content);
    }

    @Test
    void fetchServesTheFileInsideTheStoreAndLeavesNoTemporaryFiles() throws Exception {
        ArtifactRef ref = store.putBytes("job-1/scores.json", new byte[] {1, 2, 3});
        store.putBytes("job-1/scores.json", new byte[] {1, 2, 3});
        Path file = store.fetch(ref);
        assertTrue(file.startsWith(store.root()), file.toString());
        assertArrayEquals(new byte[] {1, 2, 3}, Files.readAllBytes(file));
        try (Stream<Path> files = Files.walk(store.root())) {
            assertEquals(List.of(file), files.filter(Files::isRegularFile).toList());
        }
    }

    @Test
    void aSymbolicLinkToAFileOutsideIsRejected() throws Exception {
        Path secret = tmp.resolve("outside/secret.txt");
        write(secret, new byte[] {42});
        Files.createSymbolicLink(root.resolve("leak.txt"), secret);
        ArtifactRef ref = new ArtifactRef("leak.txt", 1, Sha256.hex(new byte[] {42}));
        assertRejected(ArtifactException.Reason.PATH_REJECTED, "symbolic link", () -> store.read(ref));
        assertRejected(ArtifactException.Reason.PATH_REJECTED, "leads outside the store", () -> store.fetch(ref));
    }

    @Test
    void aSymbolicLinkedFolderLeadingOutsideIsRejectedForReadsAndWrites() throws Exception {
        Path outside = Files.createDirectories(tmp.resolve("outside"));
        write(outside.resolve("model.zip"), new byte[] {7});
        Files.createSymbolicLink(root.resolve("job-1"), outside);
        ArtifactRef ref = new ArtifactRef("job-1/model.zip", 1, Sha256.hex(new byte[] {7}));
        assertRejected(ArtifactException.Reason.PATH_REJECTED, "symbolic link", () -> store.fetch(ref));
        assertRejected(ArtifactException.Reason.PATH_REJECTED, "symbolic link",
                () -> store.putBytes("job-1/new.bin", new byte[] {1}));
        try (Stream<Path> files = Files.list(outside)) {
            assertEquals(1, files.count(), "nothing was written outside the store");
        }
    }

    @Test
    void linksThatStayInsideTheStoreAreFine() throws Exception {
        ArtifactRef ref = store.putBytes("job-1/scores.json", new byte[] {5});
        Files.createSymbolicLink(root.resolve("latest"), root.resolve("job-1"));
        ArtifactRef viaLink = new ArtifactRef(ref.path().replace("job-1/", "latest/"), ref.size(), ref.sha256());
        assertArrayEquals(new byte[] {5}, store.read(viaLink));
    }

    @Test
    void aStoreReachedThroughALinkedRootWorks() throws Exception {
        Path link = Files.createSymbolicLink(tmp.resolve("store-link"), root);
        ArtifactRef ref = store.putBytes("a.bin", new byte[] {9});
        assertArrayEquals(new byte[] {9}, new DirectoryArtifactStore(link).read(ref));
    }
}

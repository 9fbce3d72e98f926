package io.prunestream.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** S3 itself cannot run here; the store is tested against the in-memory bucket. */
class S3ArtifactStoreTest extends ArtifactStoreContract {
    private InMemoryObjectStorageClient bucket;
    private S3ArtifactStore store;

    @BeforeEach
    void createStore() {
        bucket = new InMemoryObjectStorageClient();
        store = new S3ArtifactStore(bucket, "/prunestream/artifacts/", tmp.resolve("cache"));
    }

    @Override
    ArtifactStore store() {
        return store;
    }

    @Override
    void replaceStored(String key, byte[] content) {
        bucket.put("prunestream/artifacts/" + key, content);
    }

    @Test
    void objectsLieUnderThePrefixAndRepeatedPutsSkipTheUpload() {
        ArtifactRef ref = store.putBytes("job-1/scores.json", new byte[] {1, 2});
        store.putBytes("job-1/scores.json", new byte[] {1, 2});
        assertEquals(Set.of("prunestream/artifacts/" + ref.path()), bucket.keys());
        assertEquals(1, bucket.putCount());
    }

    @Test
    void fetchCachesLocallyAndDownloadsAgainWhenTheCopyIsDamaged() throws Exception {
        ArtifactRef ref = store.putBytes("job-1/scores.json", new byte[] {1, 2, 3});
        Path cached = store.fetch(ref);
        assertTrue(cached.startsWith(tmp.resolve("cache").toRealPath()), cached.toString());
        assertArrayEquals(new byte[] {1, 2, 3}, Files.readAllBytes(cached));
        Files.write(cached, new byte[] {9, 9, 9});
        assertArrayEquals(new byte[] {1, 2, 3}, Files.readAllBytes(store.fetch(ref)));
    }

    @Test
    void aPrefixThatWouldEscapeIsRefused() {
        assertThrows(ArtifactException.class, () -> new S3ArtifactStore(bucket, "a/../..", tmp.resolve("c")));
    }

    @Test
    void anEmptyPrefixUsesKeysAsTheyAre() {
        S3ArtifactStore flat = new S3ArtifactStore(bucket, "", tmp.resolve("c2"));
        ArtifactRef ref = flat.putBytes("x.bin", new byte[] {4});
        assertEquals(Set.of(ref.path()), bucket.keys());
    }
}

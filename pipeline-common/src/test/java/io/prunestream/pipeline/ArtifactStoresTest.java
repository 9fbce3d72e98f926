package io.prunestream.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArtifactStoresTest {
    @TempDir
    Path tmp;

    @Test
    void pathsAndFileUrisGiveADirectoryStore() throws Exception {
        Path folder = tmp.resolve("artifacts");
        for (String location : new String[] {folder.toString(), folder.toUri().toString(), "file://" + folder}) {
            ArtifactStore store = ArtifactStores.fromUri(location);
            DirectoryArtifactStore directory = assertInstanceOf(DirectoryArtifactStore.class, store);
            assertEquals(folder.toRealPath(), directory.root());
        }
    }

    @Test
    void s3GivesAnS3StoreAndABadBucketNameIsRefusedBeforeAnyRequest() {
        assertInstanceOf(S3ArtifactStore.class, ArtifactStores.fromUri("s3://bucket/prefix"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ArtifactStores.fromUri("s3://My_Bucket/prefix"));
        assertTrue(e.getMessage().contains("'My_Bucket' is not an S3 bucket name"), e.getMessage());
    }

    @Test
    void otherLocationsAreRefusedClearly() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ArtifactStores.fromUri("http://example.org/store"));
        assertTrue(e.getMessage().contains("unsupported scheme 'http'"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ArtifactStores.fromUri(" "));
        assertThrows(IllegalArgumentException.class, () -> ArtifactStores.fromUri("file:relative"));
    }
}

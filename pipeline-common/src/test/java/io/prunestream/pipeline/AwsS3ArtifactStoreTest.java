package io.prunestream.pipeline;

import io.prunestream.pipeline.testing.InJvmS3;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The S3 store through the AWS SDK against a real S3 API server ({@link InJvmS3}), under the same
 * contract as the folder store; built by {@link ArtifactStores#fromUri} as a deployment builds it.
 */
class AwsS3ArtifactStoreTest extends ArtifactStoreContract {
    private static final String BUCKET = "prunestream-test";
    private static Path serverFolder;
    private static InJvmS3 server;
    private static AwsS3ObjectStorageClient direct;
    private static int stores;

    private String prefix;
    private ArtifactStore store;

    @BeforeAll
    static void startServer() throws Exception {
        serverFolder = Files.createTempDirectory("prunestream-s3proxy");
        server = new InJvmS3(serverFolder, BUCKET);
        direct = new AwsS3ObjectStorageClient(BUCKET, server.settings());
    }

    @AfterAll
    static void stopServer() throws Exception {
        direct.close();
        server.close();
    }

    @BeforeEach
    void createStore() {
        // A prefix per test: the bucket outlives the tests, every store must start empty.
        prefix = "runs/" + (++stores);
        store = ArtifactStores.fromUri("s3://" + BUCKET + "/" + prefix, server.settings(), tmp.resolve("cache"));
    }

    @Override
    ArtifactStore store() {
        return store;
    }

    @Override
    void replaceStored(String key, byte[] content) {
        direct.put(prefix + "/" + key, content);
    }

    @Test
    void fromUriBuildsAnS3StoreWhoseObjectsAnyS3ClientSees() {
        assertInstanceOf(S3ArtifactStore.class, store);
        ArtifactRef ref = store.putBytes("job-1/scores.json", new byte[] {1, 2, 3});
        assertArrayEquals(new byte[] {1, 2, 3}, direct.get(prefix + "/" + ref.path()).orElseThrow());
        assertEquals(3, direct.head(prefix + "/" + ref.path()).orElseThrow());
        assertEquals(Optional.empty(), direct.get(prefix + "/absent"));
        assertTrue(direct.head(prefix + "/absent").isEmpty());
    }

    @Test
    void producersNameArtifactsByS3UriAndOnlyThisStoresUrisResolve() {
        ArtifactRef ref = store.putBytes("uploads/m.zip", new byte[] {4});
        String uri = store.uri(ref);
        assertEquals("s3://" + BUCKET + "/" + prefix + "/" + ref.path(), uri);
        assertEquals(ref.path(), store.pathOf(uri));
        assertEquals(ref.path(), store.pathOf(ref.path()));
        IllegalArgumentException other = assertThrows(IllegalArgumentException.class,
                () -> store.pathOf("s3://other-bucket/" + prefix + "/" + ref.path()));
        assertTrue(other.getMessage().contains("not in this pipeline's store, s3://" + BUCKET + "/" + prefix + "/"),
                other.getMessage());
    }

    @Test
    void aMissingBucketIsAnErrorNamingBucketAndServerNotAMissingArtifact() {
        ArtifactStore nowhere = ArtifactStores.fromUri("s3://no-such-bucket/x", server.settings(), tmp.resolve("c2"));
        ArtifactException e = assertThrows(ArtifactException.class, () -> nowhere.putBytes("a.bin", new byte[] {1}));
        assertEquals(ArtifactException.Reason.IO_ERROR, e.reason(), e.getMessage());
        assertTrue(e.getMessage().contains("S3 bucket 'no-such-bucket' at " + server.endpoint()), e.getMessage());
    }

    @Test
    void wrongCredentialsAreReportedByTheServersWord() {
        S3Settings wrong = new S3Settings(Optional.of(server.endpoint()), S3Settings.DEFAULT_REGION, true,
                software.amazon.awssdk.auth.credentials.StaticCredentialsProvider.create(
                        software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create(InJvmS3.ACCESS_KEY, "wrong")));
        ArtifactStore denied = ArtifactStores.fromUri("s3://" + BUCKET + "/x", wrong, tmp.resolve("c3"));
        ArtifactException e = assertThrows(ArtifactException.class, () -> denied.putBytes("a.bin", new byte[] {1}));
        assertTrue(e.getMessage().contains("403") || e.getMessage().contains("SignatureDoesNotMatch"), e.getMessage());
    }
}

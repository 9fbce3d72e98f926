package io.prunestream.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prunestream.core.model.ModelJson;
import io.prunestream.core.model.ModelPackage;
import io.prunestream.core.model.PackageIO;
import io.prunestream.core.model.Tensor;
import io.prunestream.core.zoo.ModelZoo;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/** What every {@link ArtifactStore} must do; each implementation's test supplies the store. */
abstract class ArtifactStoreContract {
    private static ModelPackage lenet;

    @TempDir
    Path tmp;

    /** A fresh, empty store for each test. */
    abstract ArtifactStore store();

    /** Overwrites what the store holds under a key, bypassing the store: damage from outside. */
    abstract void replaceStored(String key, byte[] content) throws Exception;

    @BeforeAll
    static void buildModel() {
        lenet = ModelZoo.create("lenet", 1);
    }

    @Test
    void bytesRoundTripUnderAContentAddressedSanitisedPath() {
        byte[] content = "{\"scores\":[1,2,3]}".getBytes(StandardCharsets.UTF_8);
        ArtifactRef ref = store().putBytes("job-1/../score s.json", content);
        assertTrue(ref.path().matches("job-1/__/score_s-[0-9a-f]{16}\\.json"), ref.path());
        assertEquals(content.length, ref.size());
        assertEquals(Sha256.hex(content), ref.sha256());
        assertArrayEquals(content, store().read(ref));
    }

    @Test
    void aPackageFolderRoundTripsAsAZip() throws Exception {
        Path folder = tmp.resolve("lenet");
        PackageIO.save(lenet, folder);
        ArtifactRef ref = store().put("job-1/model", folder);
        assertTrue(ref.path().endsWith(".zip"), ref.path());
        assertSameModel(lenet, store().loadModel(ref));
        assertSameModel(lenet, PackageIO.load(store().fetch(ref)));
    }

    @Test
    void putModelAndLoadModelRoundTrip() {
        ArtifactRef ref = store().putModel("job-1/candidate", lenet);
        assertSameModel(lenet, store().loadModel(ref));
    }

    @Test
    void storingTheSameContentTwiceIsIdempotent() throws Exception {
        Path folder = tmp.resolve("lenet");
        PackageIO.save(lenet, folder);
        ArtifactRef first = store().put("job-1/model", folder);
        assertEquals(first, store().put("job-1/model", folder));
        assertEquals(first, store().putModel("job-1/model", lenet), "folder and package zip to the same bytes");
        ArtifactRef other = store().putBytes("job-1/model.zip", new byte[] {1, 2, 3});
        assertNotEquals(first.path(), other.path(), "new content never overwrites what a message may point at");
        assertSameModel(lenet, store().loadModel(first));
    }

    @Test
    void corruptedContentFailsItsChecksum() throws Exception {
        ArtifactRef ref = store().putBytes("job-1/scores.json", "[1,2,3]".getBytes(StandardCharsets.UTF_8));
        replaceStored(ref.path(), "[9,2,3]".getBytes(StandardCharsets.UTF_8));
        assertRejected(ArtifactException.Reason.CHECKSUM_MISMATCH, "fails its checksum", () -> store().read(ref));
        assertRejected(ArtifactException.Reason.CHECKSUM_MISMATCH, "fails its checksum", () -> store().fetch(ref));
    }

    @Test
    void truncatedContentFailsItsSize() throws Exception {
        ArtifactRef ref = store().putBytes("job-1/scores.json", "[1,2,3]".getBytes(StandardCharsets.UTF_8));
        replaceStored(ref.path(), "[1,2".getBytes(StandardCharsets.UTF_8));
        assertRejected(ArtifactException.Reason.SIZE_MISMATCH, "is 4 bytes, its reference says 7",
                () -> store().read(ref));
        assertRejected(ArtifactException.Reason.SIZE_MISMATCH, "truncated", () -> store().fetch(ref));
    }

    @Test
    void aReferenceClaimingAnotherSizeIsRejected() {
        ArtifactRef ref = store().putBytes("a.bin", new byte[] {1, 2, 3});
        ArtifactRef lying = new ArtifactRef(ref.path(), 4, ref.sha256());
        assertRejected(ArtifactException.Reason.SIZE_MISMATCH, "its reference says 4", () -> store().read(lying));
    }

    @Test
    void aMissingArtifactIsReportedAsSuch() {
        ArtifactRef missing = new ArtifactRef("job-9/never-stored.zip", 10, Samples.SHA_A);
        assertRejected(ArtifactException.Reason.NOT_FOUND, "'job-9/never-stored.zip' not found", () -> store().read(missing));
        assertRejected(ArtifactException.Reason.NOT_FOUND, "not found", () -> store().fetch(missing));
        assertRejected(ArtifactException.Reason.NOT_FOUND, "not found", () -> store().loadModel(missing));
    }

    @Test
    void pathsLeavingTheStoreAreRejected() {
        for (String path : new String[] {"../escape", "job-1/../../escape", "/etc/passwd", "a//b", "./a", "a\\..\\b"}) {
            ArtifactRef ref = new ArtifactRef(path, 1, Samples.SHA_A);
            assertRejected(ArtifactException.Reason.PATH_REJECTED, "'" + path + "' rejected", () -> store().read(ref));
            assertRejected(ArtifactException.Reason.PATH_REJECTED, "rejected", () -> store().fetch(ref));
        }
    }

    @Test
    void aJobsArtifactsAreListedByItsFolderAndCanBeDeleted() {
        ArtifactRef a = store().putBytes("job-1/a", new byte[] {1});
        ArtifactRef b = store().putBytes("job-1/deeper/b", new byte[] {2});
        ArtifactRef other = store().putBytes("job-10/c", new byte[] {3});
        assertEquals(java.util.Set.of(a.path(), b.path()), java.util.Set.copyOf(store().list("job-1")),
                "job-10 shares a prefix with job-1 but not its folder");

        store().delete(a.path());
        store().delete(a.path()); // a clean-up that runs twice is no error

        assertEquals(List.of(b.path()), store().list("job-1"));
        assertRejected(ArtifactException.Reason.NOT_FOUND, "not found", () -> store().read(a));
        assertRejected(ArtifactException.Reason.NOT_FOUND, "not found", () -> store().fetch(a));
        assertEquals(List.of(other.path()), store().list("job-10"));
        assertEquals(List.of(), store().list("job-never"));
        assertRejected(ArtifactException.Reason.PATH_REJECTED, "rejected", () -> store().delete("../escape"));
    }

    @Test
    void storingSomethingThatIsNotThereSaysSo() {
        assertRejected(ArtifactException.Reason.NOT_FOUND, "nothing readable at",
                () -> store().put("x", tmp.resolve("absent")));
    }

    static void assertRejected(ArtifactException.Reason reason, String messagePart, Executable action) {
        ArtifactException e = assertThrows(ArtifactException.class, action);
        assertEquals(reason, e.reason(), e.getMessage());
        assertTrue(e.getMessage().contains(messagePart), e.getMessage());
    }

    static void assertSameModel(ModelPackage expected, ModelPackage actual) {
        // Compared as written: numbers in free-form attributes may come back as another boxed type.
        assertEquals(ModelJson.write(expected.spec()), ModelJson.write(actual.spec()));
        assertEquals(expected.weights().keySet(), actual.weights().keySet());
        expected.weights().forEach((key, tensor) -> {
            Tensor other = actual.weight(key);
            assertArrayEquals(tensor.shape(), other.shape(), key);
            assertTrue(Arrays.equals(tensor.data(), other.data()), key);
        });
    }

    static void write(Path file, byte[] content) throws Exception {
        Files.createDirectories(file.getParent());
        Files.write(file, content);
    }
}

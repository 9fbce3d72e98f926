package io.prunestream.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.prunestream.core.model.ModelPackage;
import io.prunestream.core.model.PackageIO;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `import` and `export` against the third-party Keras model kept in tf-bridge's test data. */
class TfCommandsTest {
    static final Path NATIVES = Path.of("..", "tf-bridge", "target", "tf-natives");
    static final Path KERAS = Path.of("..", "tf-bridge", "src", "test", "resources", "testdata", "keras-mnist-cnn");

    @TempDir
    Path dir;

    @BeforeAll
    static void natives() {
        assumeTrue(Files.isRegularFile(NATIVES.resolve("libjnitensorflow.so")),
                "TensorFlow natives not unpacked: build tf-bridge first");
        // DJL reads the variable as a system property too.
        System.setProperty("TENSORFLOW_LIBRARY_PATH", NATIVES.toAbsolutePath().toString());
    }

    @Test
    void importsExportsAndVerifiesTheKerasModel() {
        Path pkgDir = dir.resolve("keras");
        PrunectlCommandsTest.Run r = PrunectlCommandsTest.run("import", KERAS.toString(), "--out", pkgDir.toString(),
                "--normalize-columns");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("then keras-normalize-axis1"), r.out());
        ModelPackage pkg = PackageIO.load(pkgDir);
        assertEquals("keras-normalize-axis1", pkg.spec().info().get("input_transform"));

        Path saved = dir.resolve("exported");
        r = PrunectlCommandsTest.run("export", pkgDir.toString(), "--out", saved.toString(), "--verify");
        assertEquals(0, r.exit(), r.err() + r.out());
        assertTrue(r.out().contains("output probabilities"), r.out());
        assertTrue(r.out().contains("0 differing predictions"), r.out());
        assertTrue(Files.isRegularFile(saved.resolve("saved_model.pb")));

        r = PrunectlCommandsTest.run("export", pkgDir.toString(), "--out", saved.toString());
        assertEquals(1, r.exit());
        assertTrue(r.err().contains("already exists and is not an empty folder"), r.err());
    }

    @Test
    void commandsTakingAModelAcceptASavedModelFolderDirectly() {
        PrunectlCommandsTest.Run r = PrunectlCommandsTest.run("prune", "--model", KERAS.toString(), "--target-flops",
                "0.5", "--no-data", "--no-latency", "--out", dir.resolve("half").toString());
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("achieved"), r.out());
        assertTrue(PackageIO.load(dir.resolve("half")).spec().nodes().size() > 5);
    }

    @Test
    void saysWhyAFolderIsNotASavedModel() {
        PrunectlCommandsTest.Run r = PrunectlCommandsTest.run("import", dir.toString(), "--out", dir.resolve("x").toString());
        assertEquals(1, r.exit());
        assertTrue(r.err().contains("holds no saved_model.pb"), r.err());
    }
}

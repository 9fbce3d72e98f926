package io.prunestream.core.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxDatasetFolderTest {

    @TempDir
    Path dir;

    @Test
    void findsTrainAndTestGzipped() throws IOException {
        IdxTestFiles.writePair(dir, "train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz",
                12, 4, true);
        IdxTestFiles.writePair(dir, "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz",
                5, 4, true);

        IdxDatasetFolder folder = IdxDatasetFolder.locate(dir);

        assertEquals(dir.resolve("train-images-idx3-ubyte.gz"), folder.trainFiles().images());
        ImageDataset train = folder.train(Normalization.MNIST);
        assertEquals(12, train.size());
        assertEquals(4, train.numClasses());
        assertEquals(5, folder.test(Normalization.MNIST).orElseThrow().size());
    }

    @Test
    void findsPlainFilesAndAllowsMissingTest() throws IOException {
        IdxTestFiles.writePair(dir, "train-images-idx3-ubyte", "train-labels-idx1-ubyte", 3, 3,
                false);

        IdxDatasetFolder folder = IdxDatasetFolder.locate(dir);

        assertEquals(3, folder.train(Normalization.MNIST).size());
        assertTrue(folder.testFiles().isEmpty());
        assertTrue(folder.test(Normalization.MNIST).isEmpty());
    }

    @Test
    void singleSetIsTrainWithoutTest() throws IOException {
        IdxTestFiles.writePair(dir, "images-idx3-ubyte.gz", "labels-idx1-ubyte", 7, 2, false);

        IdxDatasetFolder folder = IdxDatasetFolder.locate(dir);

        assertEquals(dir.resolve("labels-idx1-ubyte"), folder.trainFiles().labels());
        assertEquals(7, folder.train(Normalization.MNIST).size());
        assertEquals(Optional.empty(), folder.test(Normalization.MNIST));
    }

    @Test
    void missingFolder() {
        Path absent = dir.resolve("nope");

        DatasetException e =
                assertThrows(DatasetException.class, () -> IdxDatasetFolder.locate(absent));

        assertEquals(absent + ": dataset folder does not exist", e.getMessage());
    }

    @Test
    void emptyFolderListsWhatWasLookedFor() {
        DatasetException e =
                assertThrows(DatasetException.class, () -> IdxDatasetFolder.locate(dir));

        String message = e.getMessage();
        assertTrue(message.startsWith(dir + ": no IDX dataset found"), message);
        for (String name : new String[] {"train-images-idx3-ubyte[.gz]",
                "train-labels-idx1-ubyte[.gz]", "t10k-images-idx3-ubyte[.gz]",
                "t10k-labels-idx1-ubyte[.gz]", "images-idx3-ubyte[.gz]",
                "labels-idx1-ubyte[.gz]"}) {
            assertTrue(message.contains(name), message);
        }
        assertFalse(message.contains("apt-get"), "hint only for the default folder: " + message);
    }

    @Test
    void halfPairNamesTheMissingFile() throws IOException {
        IdxTestFiles.writePair(dir, "train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz",
                3, 3, true);
        Files.delete(dir.resolve("train-labels-idx1-ubyte.gz"));

        DatasetException e =
                assertThrows(DatasetException.class, () -> IdxDatasetFolder.locate(dir));

        assertEquals(dir + ": has train-images-idx3-ubyte but not train-labels-idx1-ubyte[.gz]"
                + " to pair it with", e.getMessage());
    }

    @Test
    void fileInsteadOfFolder() {
        Path file = IdxTestFiles.write(dir.resolve("x"), new byte[1]);

        DatasetException e =
                assertThrows(DatasetException.class, () -> IdxDatasetFolder.locate(file));

        assertTrue(e.getMessage().startsWith(file + ": is not a directory"), e.getMessage());
    }

    @Test
    void installHintOnlyForDefaultFolder() {
        assertTrue(IdxDatasetFolder.hintFor(IdxDatasetFolder.DEFAULT_FASHION_MNIST)
                .contains("apt-get install dataset-fashion-mnist"));
        assertEquals("", IdxDatasetFolder.hintFor(dir));
    }

    @Test
    void defaultFolderOverrides() {
        Map<String, String> none = Map.of();
        Map<String, String> env = Map.of(IdxDatasetFolder.DATA_ENV, "/from/env");
        Map<String, String> props = Map.of(IdxDatasetFolder.DATA_PROPERTY, "/from/property");
        Map<String, String> blankEnv = Map.of(IdxDatasetFolder.DATA_ENV, "  ");

        assertEquals(IdxDatasetFolder.DEFAULT_FASHION_MNIST,
                IdxDatasetFolder.defaultFolder(none::get, none::get));
        assertEquals(Path.of("/from/property"),
                IdxDatasetFolder.defaultFolder(none::get, props::get));
        assertEquals(Path.of("/from/env"), IdxDatasetFolder.defaultFolder(env::get, props::get));
        assertEquals(Path.of("/from/property"),
                IdxDatasetFolder.defaultFolder(blankEnv::get, props::get));
    }
}

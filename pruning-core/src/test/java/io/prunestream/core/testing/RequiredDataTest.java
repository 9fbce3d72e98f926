package io.prunestream.core.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

/** Missing data fails a test on CI and skips it elsewhere, saying what is missing and how to get it. */
class RequiredDataTest {
    private static final Map<String, String> CI = Map.of("CI", "true");
    private static final Map<String, String> DEVELOPER = Map.of();

    @TempDir
    Path dir;
    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
    private final PrintStream console = new PrintStream(printed, true, StandardCharsets.UTF_8);

    @Test
    void missingFashionMnistFailsOnCi() {
        Path nowhere = dir.resolve("nonexistent");
        AssertionFailedError e = assertThrows(AssertionFailedError.class,
                () -> RequiredData.fashionMnist(nowhere, CI, console));
        assertTrue(e.getMessage().startsWith("Fashion-MNIST not found (" + nowhere + ": dataset folder does not exist)"),
                e.getMessage());
        assertTrue(e.getMessage().contains("apt-get install dataset-fashion-mnist"), e.getMessage());
        assertTrue(e.getMessage().contains("PRUNESTREAM_DATA"), e.getMessage());
        assertTrue(e.getMessage().contains("CI=true"), e.getMessage());
        assertEquals("", printed.toString(StandardCharsets.UTF_8), "a failure speaks for itself");
    }

    @Test
    void missingFashionMnistSkipsElsewhere() {
        TestAbortedException e = assertThrows(TestAbortedException.class,
                () -> RequiredData.fashionMnist(dir, Map.of("CI", "false"), console));
        assertTrue(e.getMessage().startsWith("Fashion-MNIST not found (" + dir + ": no IDX dataset found"),
                e.getMessage());
        assertTrue(e.getMessage().contains("apt-get install dataset-fashion-mnist"), e.getMessage());
        assertEquals("WARNING: " + e.getMessage() + System.lineSeparator(), printed.toString(StandardCharsets.UTF_8),
                "the console says why, since Maven only counts skipped tests");
    }

    @Test
    void aTrainingSetWithoutItsTestSetIsNotEnough() {
        SyntheticIdx.write(dir, "train", 4, 1);
        TestAbortedException e = assertThrows(TestAbortedException.class,
                () -> RequiredData.fashionMnist(dir, DEVELOPER, console));
        assertTrue(e.getMessage().contains(dir + ": has a training set but no t10k-* test set"), e.getMessage());
    }

    @Test
    void aCompleteFolderIsReturned() {
        SyntheticIdx.fashionShaped(dir, 4, 1);
        assertEquals(dir, RequiredData.fashionMnist(dir, CI, console));
    }

    @Test
    void onlyCiTrueCountsAsCi() {
        assertTrue(RequiredData.onCi(Map.of("CI", "TRUE")));
        assertTrue(!RequiredData.onCi(Map.of("CI", "false")));
        assertTrue(!RequiredData.onCi(DEVELOPER));
        RequiredData.require(true, "present data passes everywhere", CI, console);
    }
}

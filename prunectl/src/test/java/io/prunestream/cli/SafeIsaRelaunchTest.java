package io.prunestream.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.prunestream.core.engine.EngineNumericsException;
import java.io.UncheckedIOException;
import org.junit.jupiter.api.Test;

class SafeIsaRelaunchTest {

    @Test
    void onlyAWrongEngineAsksForARestartAndOnlyOnce() {
        // Wrapped or not, a wrong engine asks for it, unless the safe ISA is already in force (no loop).
        boolean safeIsaUnset = System.getenv(SafeIsaRelaunch.VARIABLE) == null;
        assertEquals(safeIsaUnset, SafeIsaRelaunch.wanted(new EngineNumericsException("wrong convolutions")));
        assertEquals(safeIsaUnset, SafeIsaRelaunch.wanted(
                new IllegalStateException("stage failed", new EngineNumericsException("wrong convolutions"))));
        // Anything else is the user's or the program's error, reported once and never retried.
        assertFalse(SafeIsaRelaunch.wanted(new IllegalArgumentException("unknown criterion 'l3'")));
        assertFalse(SafeIsaRelaunch.wanted(new UncheckedIOException(new java.io.IOException("disk full"))));
    }
}

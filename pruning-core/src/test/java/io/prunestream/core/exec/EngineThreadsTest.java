package io.prunestream.core.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class EngineThreadsTest {
    @Test
    void fixesIntraOpThreadsOnARunningEngineAndReportsThem() {
        EngineThreads before = EngineThreads.inForce();
        assertTrue(before.intraOp() >= 1 && before.interOp() >= 1, before.toString());
        String property = System.getProperty(EngineThreads.INTRA_OP_PROPERTY);
        try {
            // The engine is running by now, so this takes the path that sets the count directly.
            int other = before.intraOp() == 1 ? 2 : 1;
            assertEquals(other, EngineThreads.fixIntraOp(other).intraOp());
            assertEquals(other, EngineThreads.inForce().intraOp());
            assertEquals(before.interOp(), EngineThreads.inForce().interOp());
        } finally {
            EngineThreads.fixIntraOp(before.intraOp());
            if (property == null) {
                System.clearProperty(EngineThreads.INTRA_OP_PROPERTY);
            } else {
                System.setProperty(EngineThreads.INTRA_OP_PROPERTY, property);
            }
        }
        assertEquals(before, EngineThreads.inForce());
    }

    @Test
    void describesBothCounts() {
        assertEquals("1 intra-op thread, 4 inter-op threads", new EngineThreads(1, 4).describe());
    }

    @Test
    void refusesFewerThanOneThread() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> EngineThreads.fixIntraOp(0));
        assertEquals("intra-op threads must be at least 1, got 0", e.getMessage());
    }
}

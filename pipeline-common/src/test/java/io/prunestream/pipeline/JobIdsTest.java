package io.prunestream.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class JobIdsTest {
    @Test
    void newIdsAreValidAndDistinct() {
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            String id = JobIds.newId();
            assertTrue(id.startsWith("job-"), id);
            assertTrue(JobIds.isValid(id), id);
            ids.add(id);
        }
        assertEquals(1000, ids.size());
    }

    @Test
    void idsThatCouldMisbehaveAsPathPartsAreRejected() {
        for (String bad : new String[] {null, "", ".", "..", ".hidden", "a/b", "a\\b", "a b", "job:1", "x".repeat(65),
                "caf\u00e9"}) {
            assertFalse(JobIds.isValid(bad), bad);
        }
        assertTrue(JobIds.isValid("x".repeat(64)));
        assertTrue(JobIds.isValid("My_job-1.2"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> JobIds.requireValid("a/b"));
        assertTrue(e.getMessage().contains("job id 'a/b' is not valid"), e.getMessage());
    }
}

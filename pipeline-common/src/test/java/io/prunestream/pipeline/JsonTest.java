package io.prunestream.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class JsonTest {
    @Test
    void everyRecordSurvivesARoundTrip() {
        for (Object record : Samples.everyRecord()) {
            String json = Json.toJson(record);
            assertEquals(record, Json.fromJson(json, record.getClass()), json);
            assertEquals(record, Json.fromJson(json.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                    record.getClass()));
        }
    }

    @Test
    void recordsAreWrittenWithFormatVersionOneAndWithoutDerivedValues() {
        String json = Json.toJson(Samples.fullMessage());
        assertTrue(json.startsWith("{\"formatVersion\":1,"), json);
        assertFalse(json.contains("idempotencyKey"), json);
        assertFalse(json.contains("\"slip\""), json);
        assertFalse(json.contains("lastStage"), json);
    }

    @Test
    void anotherFormatVersionIsRejectedBeforeBinding() {
        // Version 2 changed the shape of "attempt"; the version must be the complaint, not the shape.
        String json = Json.toJson(Samples.fullMessage()).replace("\"formatVersion\":1,\"jobId\"",
                "\"formatVersion\":2,\"jobId\"").replace("\"attempt\":1", "\"attempt\":{\"n\":1}");
        MessageFormatException e = assertThrows(MessageFormatException.class,
                () -> Json.fromJson(json, JobMessage.class));
        assertTrue(e.getMessage().contains("JobMessage has formatVersion 2"), e.getMessage());
        assertTrue(e.getMessage().contains("reads only formatVersion 1"), e.getMessage());
    }

    @Test
    void everyRecordRefusesAnotherFormatVersion() {
        for (Object record : Samples.everyRecord()) {
            String json = Json.toJson(record).replaceFirst("^\\{\"formatVersion\":1", "{\"formatVersion\":2");
            MessageFormatException e = assertThrows(MessageFormatException.class,
                    () -> Json.fromJson(json, record.getClass()));
            assertTrue(e.getMessage().contains(record.getClass().getSimpleName() + " has formatVersion 2"),
                    e.getMessage());
        }
    }

    @Test
    void aMissingFormatVersionIsRejected() {
        MessageFormatException e = assertThrows(MessageFormatException.class,
                () -> Json.fromJson("{\"path\":\"a\",\"size\":1,\"sha256\":\"" + Samples.SHA_A + "\"}",
                        ArtifactRef.class));
        assertTrue(e.getMessage().contains("no integer formatVersion"), e.getMessage());
    }

    @Test
    void aNestedRecordOfAnotherVersionIsRejected() {
        String json = Json.toJson(Samples.fullMessage()).replace("\"formatVersion\":1,\"path\"",
                "\"formatVersion\":3,\"path\"");
        MessageFormatException e = assertThrows(MessageFormatException.class,
                () -> Json.fromJson(json, JobMessage.class));
        assertTrue(e.getMessage().contains("ArtifactRef has formatVersion 3"), e.getMessage());
    }

    @Test
    void undecodableInputIsAMessageFormatException() {
        assertDecodeError("", "input is empty");
        assertDecodeError("   ", "input is empty");
        assertDecodeError("not json", "line 1");
        assertDecodeError("{\"formatVersion\":1,", "line 1");
        assertDecodeError("[1, 2]", "expected a JSON object");
        assertDecodeError(Json.toJson(Samples.fullMessage()) + " trailing", "trailing");
    }

    @Test
    void aFieldOfTheWrongTypeIsNamedByItsPath() {
        String json = Json.toJson(Samples.fullMessage()).replace("\"size\":99", "\"size\":\"big\"");
        MessageFormatException e = assertThrows(MessageFormatException.class,
                () -> Json.fromJson(json, JobMessage.class));
        assertTrue(e.getMessage().contains("artifacts.scores.size"), e.getMessage());
    }

    @Test
    void anInvalidValueReportsTheRecordsOwnReason() {
        String json = Json.toJson(Samples.fullMessage()).replace("\"jobId\":\"job-1\"", "\"jobId\":\"../etc\"");
        MessageFormatException e = assertThrows(MessageFormatException.class,
                () -> Json.fromJson(json, JobMessage.class));
        assertTrue(e.getMessage().contains("job id '../etc' is not valid"), e.getMessage());
    }

    @Test
    void unknownPropertiesAreIgnoredForForwardCompatibility() {
        String json = Json.toJson(Samples.fullMessage()).replace("{\"formatVersion\":1,",
                "{\"formatVersion\":1,\"addedLater\":{\"x\":[1,2]},");
        assertEquals(Samples.fullMessage(), Json.fromJson(json, JobMessage.class));
    }

    private static void assertDecodeError(String input, String expected) {
        MessageFormatException e = assertThrows(MessageFormatException.class,
                () -> Json.fromJson(input, JobMessage.class));
        assertTrue(e.getMessage().startsWith("cannot decode JobMessage"), e.getMessage());
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}

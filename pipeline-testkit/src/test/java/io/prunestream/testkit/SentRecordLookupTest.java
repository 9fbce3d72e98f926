package io.prunestream.testkit;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prunestream.pipeline.kafka.SentRecordLookup;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How a replica learns, from the topic itself, whether a dead replica got a job's result out. */
class SentRecordLookupTest {
    @Test
    void findsARecordByKeyOnAnyPartitionOnlyIfItWasWrittenSinceTheGivenTime() throws Exception {
        try (InJvmKafka kafka = InJvmKafka.start()) {
            kafka.createTopics(List.of("results"), 3);
            SentRecordLookup lookup = new SentRecordLookup(kafka.bootstrapServers(), Duration.ofSeconds(30));
            Instant beforeAll = Instant.now().minusSeconds(1);
            assertFalse(lookup.contains("results", "job-a", beforeAll), "an empty topic holds nothing");

            try (TopicClient client = kafka.client()) {
                for (int i = 0; i < 12; i++) {
                    client.send("results", "job-" + i, "{}");
                }
                client.send("results", "job-a", "{\"status\":\"FAILED\"}");
            }
            Instant afterAll = Instant.now().plusSeconds(1);

            assertTrue(lookup.contains("results", "job-a", beforeAll));
            assertTrue(lookup.contains("results", "job-7", beforeAll));
            assertFalse(lookup.contains("results", "job-b", beforeAll), "no record has that key");
            assertFalse(lookup.contains("results", "job-a", afterAll), "the record is older than asked for");
        }
    }
}

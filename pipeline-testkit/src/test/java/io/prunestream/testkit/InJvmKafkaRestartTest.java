package io.prunestream.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The fault benchmark restarts the broker under running services: they must find it where it was, data intact. */
class InJvmKafkaRestartTest {
    @Test
    void aRestartedBrokerKeepsItsAddressAndItsRecords() {
        try (InJvmKafka kafka = InJvmKafka.start()) {
            kafka.createTopics(List.of("t"), 2);
            String address = kafka.bootstrapServers();
            try (TopicClient client = kafka.client()) {
                client.send("t", "k", "before");
            }
            kafka.restartBroker();
            assertEquals(address, kafka.bootstrapServers());
            try (TopicClient client = new TopicClient(address)) {
                client.send("t", "k", "after");
                assertEquals(List.of("before", "after"), client.readKey("t", "k", 2, Duration.ofSeconds(30)).stream()
                        .map(r -> r.value()).toList());
            }
        }
    }
}

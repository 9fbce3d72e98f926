package io.prunestream.pipeline.kafka;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads a topic back to learn whether a record with a given key was written since a given time: the
 * check a service makes before re-sending a job's result that a dead replica may or may not have sent.
 * It reads every partition from the first offset at {@code since} to the end, without a consumer group,
 * so it commits nothing and disturbs no one; a job's result topic holds one small record per job.
 */
public final class SentRecordLookup {
    private final String bootstrapServers;
    private final Duration timeout;

    public SentRecordLookup(String bootstrapServers, Duration timeout) {
        this.bootstrapServers = bootstrapServers;
        this.timeout = timeout;
    }

    /** Throws Kafka's own exception when the broker does not answer within the timeout: "don't know" is not "no". */
    public boolean contains(String topic, String key, Instant since) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "prunestream-sent-record-lookup");
        try (KafkaConsumer<String, String> consumer =
                new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, timeout).stream()
                    .map(info -> new TopicPartition(topic, info.partition())).toList();
            Map<TopicPartition, Long> at = new HashMap<>();
            partitions.forEach(tp -> at.put(tp, since.toEpochMilli()));
            Map<TopicPartition, OffsetAndTimestamp> starts = consumer.offsetsForTimes(at, timeout);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, timeout);
            Map<TopicPartition, Long> from = new HashMap<>();
            Map<TopicPartition, Long> toRead = new HashMap<>();
            for (TopicPartition tp : partitions) {
                OffsetAndTimestamp start = starts.get(tp);
                if (start != null && start.offset() < ends.get(tp)) {
                    from.put(tp, start.offset());
                    toRead.put(tp, ends.get(tp));
                }
            }
            consumer.assign(toRead.keySet());
            from.forEach(consumer::seek);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!toRead.isEmpty()) {
                if (System.nanoTime() > deadline) {
                    throw new org.apache.kafka.common.errors.TimeoutException("could not read " + topic + " back to "
                            + "its end within " + timeout + " to learn whether job " + key + "'s record is on it");
                }
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    if (key.equals(r.key())) {
                        return true;
                    }
                }
                toRead.keySet().removeIf(tp -> consumer.position(tp) >= toRead.get(tp));
            }
            return false;
        }
    }
}

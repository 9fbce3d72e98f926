package io.prunestream.testkit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Sends string records to, and waits for records on, the topics of a Kafka cluster. Reads start at
 * the beginning of a topic every time, without a consumer group, so tests see everything a topic
 * holds and never move a service's offsets.
 */
public final class TopicClient implements AutoCloseable {
    private final String bootstrapServers;
    private final KafkaProducer<String, String> producer;

    public TopicClient(String bootstrapServers) {
        this.bootstrapServers = Objects.requireNonNull(bootstrapServers, "bootstrap servers");
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        producer = new KafkaProducer<>(props, new StringSerializer(), new StringSerializer());
    }

    /** Sends one record and waits until the broker has it. {@code key} may be {@code null}. */
    public void send(String topic, String key, String value) {
        try {
            producer.send(new ProducerRecord<>(topic, key, value)).get(30, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot send to " + topic + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while sending to " + topic, e);
        }
    }

    /** The first {@code count} records of a topic, waiting up to {@code timeout} for them. */
    public List<ConsumerRecord<String, String>> read(String topic, int count, Duration timeout) {
        return await(topic, record -> true, count, timeout);
    }

    /** The first {@code count} records with this key (a job id). */
    public List<ConsumerRecord<String, String>> readKey(String topic, String key, int count, Duration timeout) {
        return await(topic, record -> key.equals(record.key()), count, timeout);
    }

    /**
     * The first {@code count} records of a topic that match, waiting up to {@code timeout}.
     *
     * @throws AssertionError if fewer arrive in time, listing the matching ones that did
     */
    public List<ConsumerRecord<String, String>> await(String topic, Predicate<ConsumerRecord<String, String>> match,
            int count, Duration timeout) {
        return await(List.of(topic), match, count, timeout);
    }

    /**
     * The first {@code count} matching records from any of the topics (each record tells its
     * {@link ConsumerRecord#topic()}), waiting up to {@code timeout}: for waiting on an outcome that
     * may show up on one topic or another, such as a job's next message or its error result.
     *
     * @throws AssertionError if fewer arrive in time, listing the matching ones that did
     */
    public List<ConsumerRecord<String, String>> await(Collection<String> topics,
            Predicate<ConsumerRecord<String, String>> match, int count, Duration timeout) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        List<ConsumerRecord<String, String>> found = new ArrayList<>();
        long end = System.nanoTime() + timeout.toNanos();
        try (KafkaConsumer<String, String> consumer =
                new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> partitions = partitions(consumer, topics, timeout);
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            while (found.size() < count && System.nanoTime() < end) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    if (found.size() < count && match.test(record)) {
                        found.add(record);
                    }
                }
            }
        }
        if (found.size() < count) {
            throw new AssertionError("expected " + count + " matching record(s) on " + String.join(" or ", topics)
                    + " within " + timeout + ", got " + found.size() + ": "
                    + found.stream().map(ConsumerRecord::value).toList());
        }
        return found;
    }

    /** Every record a topic holds now that matches (reads until a poll comes back empty). */
    public List<ConsumerRecord<String, String>> readAll(String topic, Predicate<ConsumerRecord<String, String>> match) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        List<ConsumerRecord<String, String>> found = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer =
                new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> partitions = partitions(consumer, List.of(topic), Duration.ofSeconds(10));
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p))
                    && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    if (match.test(record)) {
                        found.add(record);
                    }
                }
            }
        }
        return found;
    }

    private static List<TopicPartition> partitions(KafkaConsumer<String, String> consumer, Collection<String> topics,
            Duration timeout) {
        Map<String, List<PartitionInfo>> existing = consumer.listTopics(timeout);
        List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : topics) {
            List<PartitionInfo> infos = existing.get(topic);
            if (infos == null) {
                throw new AssertionError("topic " + topic + " does not exist (topics: " + existing.keySet() + ")");
            }
            infos.forEach(p -> partitions.add(new TopicPartition(p.topic(), p.partition())));
        }
        return partitions;
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}

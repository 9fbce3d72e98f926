package io.prunestream.testkit;

import java.nio.file.Files;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

/**
 * A real single-node KRaft Kafka (broker and controller combined) inside this JVM, from Kafka's own
 * test kit: up in a few seconds, no Docker needed. Its data lives in a temporary folder removed on
 * {@link #close()}.
 */
public final class InJvmKafka implements AutoCloseable {
    private final KafkaClusterTestKit cluster;

    private InJvmKafka(KafkaClusterTestKit cluster) {
        this.cluster = cluster;
    }

    /** Formats, starts and waits for a one-node cluster. */
    public static InJvmKafka start() {
        KafkaClusterTestKit cluster = null;
        try {
            cluster = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder()
                            // A folder of our own: the kit's default one is deleted by a JVM shutdown hook,
                            // which can run while the broker still writes to it; the broker then finds its
                            // log directory gone and halts the whole JVM, cutting short the shutdown hook
                            // of `prunectl up` that stops the services. Removed on close() all the same.
                            .setBaseDirectory(Files.createTempDirectory("prunestream-kafka-"))
                            .setCombined(true)
                            .setNumBrokerNodes(1)
                            .setNumControllerNodes(1)
                            .build())
                    // Kafka defaults assume three brokers: with one, the offsets topic could never be
                    // created and consumer groups would wait forever without an error.
                    .setConfigProp("offsets.topic.replication.factor", "1")
                    .setConfigProp("offsets.topic.num.partitions", "1")
                    .setConfigProp("transaction.state.log.replication.factor", "1")
                    .setConfigProp("transaction.state.log.min.isr", "1")
                    // Groups form at once instead of after the default 3 s wait for more members.
                    .setConfigProp("group.initial.rebalance.delay.ms", "0")
                    .build();
            cluster.format();
            cluster.startup();
            cluster.waitForReadyBrokers();
            return new InJvmKafka(cluster);
        } catch (Exception e) {
            if (cluster != null) {
                try {
                    cluster.close();
                } catch (Exception suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new IllegalStateException("cannot start the in-JVM Kafka broker: " + e.getMessage(), e);
        }
    }

    public String bootstrapServers() {
        return cluster.bootstrapServers();
    }

    /** Creates topics with one partition each; topics that exist already are left as they are. */
    public void createTopics(Collection<String> topics) {
        createTopics(topics, 1);
    }

    /**
     * Creates topics with {@code partitions} partitions each (records are keyed by job id, so a job's
     * records stay in one partition, in order, while different jobs spread over the consumers of a
     * group); topics that exist already are left as they are.
     */
    public void createTopics(Collection<String> topics, int partitions) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()))) {
            for (String topic : topics) {
                try {
                    admin.createTopics(java.util.List.of(new NewTopic(topic, partitions, (short) 1))).all().get();
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("cannot create topic " + topic + ": " + e.getCause(), e);
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics", e);
        }
    }

    /**
     * Stops the broker and starts it again on the same data, the way a broker restart looks to clients:
     * connections drop, in-flight requests fail, and clients reconnect. The controller keeps running.
     */
    public void restartBroker() {
        try {
            for (var broker : cluster.brokers().values()) {
                broker.shutdown();
                broker.awaitShutdown();
                broker.startup();
            }
            cluster.waitForReadyBrokers();
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new IllegalStateException("cannot restart the in-JVM Kafka broker: " + e.getMessage(), e);
        }
    }

    /** A client for sending and reading records on this broker. */
    public TopicClient client() {
        return new TopicClient(bootstrapServers());
    }

    @Override
    public void close() {
        try {
            cluster.close();
        } catch (Exception e) {
            throw new IllegalStateException("cannot stop the in-JVM Kafka broker: " + e.getMessage(), e);
        }
    }
}

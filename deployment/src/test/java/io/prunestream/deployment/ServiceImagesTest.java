package io.prunestream.deployment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.prunestream.cli.ServiceLauncher;
import io.prunestream.pipeline.Topics;
import io.prunestream.testkit.TopicClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.images.builder.ImageFromDockerfile;
import org.testcontainers.kafka.KafkaContainer;

/**
 * The services' container images, built from their Dockerfile.jvm, against the official Kafka image:
 * each becomes ready and answers a malformed record with a dead letter. Needs a Docker engine; where
 * there is none (the project's build machines) it is skipped, and {@link MetricNamesExposedTest} runs
 * the same jars as processes instead.
 */
@EnabledIf(value = "dockerEngineAvailable",
        disabledReason = "no Docker engine reachable: the service images are not built or run here")
class ServiceImagesTest {
    static Network network;
    static KafkaContainer kafka;
    static final List<GenericContainer<?>> services = new ArrayList<>();

    @BeforeAll
    static void startKafkaAndTheServiceImages() throws Exception {
        for (String service : ServiceLauncher.SERVICES.keySet()) {
            assumeTrue(Files.isDirectory(RepositoryFiles.root().resolve(service + "/target/quarkus-app")),
                    service + " is not packaged: run ./mvnw -B -pl deployment -am verify");
        }
        network = Network.newNetwork();
        kafka = new KafkaContainer("apache/kafka:4.1.2").withNetwork(network).withListener("kafka:19092");
        kafka.start();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.getBootstrapServers()))) {
            admin.createTopics(Topics.ALL.stream().map(t -> new NewTopic(t, 1, (short) 1)).toList()).all().get();
        }
        ServiceLauncher.SERVICES.forEach((service, port) -> {
            Path module = RepositoryFiles.root().resolve(service);
            GenericContainer<?> container = new GenericContainer<>(new ImageFromDockerfile("prunestream/" + service + "-test")
                    .withFileFromPath("Dockerfile", module.resolve("src/main/docker/Dockerfile.jvm"))
                    .withFileFromPath("target/quarkus-app", module.resolve("target/quarkus-app")))
                    .withNetwork(network)
                    .withEnv("KAFKA_BOOTSTRAP_SERVERS", "kafka:19092")
                    .withExposedPorts(port)
                    .waitingFor(Wait.forHttp("/q/health/ready").forPort(port).withStartupTimeout(Duration.ofMinutes(3)));
            services.add(container);
            container.start();
        });
    }

    static boolean dockerEngineAvailable() {
        return DockerClientFactory.instance().isDockerAvailable();
    }

    @AfterAll
    static void stop() {
        services.forEach(GenericContainer::stop);
        if (kafka != null) {
            kafka.stop();
        }
        if (network != null) {
            network.close();
        }
    }

    @Test
    void everyImageConsumesItsTopicAndDeadLettersWhatItCannotRead() {
        try (TopicClient topics = new TopicClient(kafka.getBootstrapServers())) {
            for (ServiceConfig service : ServiceConfig.all()) {
                String marker = "not a job for " + service.name();
                topics.send(service.topics().get(0), null, marker);
                topics.await(Topics.DEAD_LETTER, r -> r.value().equals(marker), 1, Duration.ofMinutes(2));
            }
        }
        assertEquals(ServiceLauncher.SERVICES.size(), services.size());
        services.forEach(c -> assertTrue(c.isRunning(), c.getDockerImageName()));
    }
}

package io.prunestream.testkit;

import io.prunestream.pipeline.Topics;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

/**
 * For {@code @QuarkusTest}s of the services: starts an {@link InJvmKafka} with all pipeline topics
 * and a fresh work directory, and points the service at both ({@code kafka.bootstrap.servers},
 * {@code prunestream.work-dir}). Tests reach the broker through {@code kafka.bootstrap.servers} and the
 * store through the service's own {@code ArtifactStore} bean.
 */
public class InJvmKafkaResource implements QuarkusTestResourceLifecycleManager {
    private InJvmKafka kafka;
    private Path workDir;

    @Override
    public Map<String, String> start() {
        kafka = InJvmKafka.start();
        // Created before the service subscribes, so its consumers are assigned partitions at once.
        kafka.createTopics(Topics.ALL);
        try {
            workDir = Files.createTempDirectory("prunestream-work");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Map.of("kafka.bootstrap.servers", kafka.bootstrapServers(),
                "prunestream.work-dir", workDir.toString());
    }

    @Override
    public void stop() {
        if (kafka != null) {
            kafka.close();
        }
        if (workDir != null) {
            deleteRecursively(workDir);
        }
    }

    static void deleteRecursively(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + root, e);
        }
    }
}

package io.prunestream.cli;

import io.prunestream.core.engine.EngineNumerics;
import io.prunestream.pipeline.Topics;
import io.prunestream.testkit.InJvmKafka;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * The pipeline on this machine: a KRaft broker inside this JVM, the topics, and the four services
 * as processes. The broker's address is written to {@code <work-dir>/broker} so that {@code submit}
 * and {@code watch} find it without flags; closing stops everything and removes that file.
 */
public final class LocalPipeline implements AutoCloseable {
    static final String BROKER_FILE = "broker";
    static final String INTAKE_FILE = "intake";
    /** Partitions per topic: as many as the most replicas of a service anyone runs here, and then some. */
    public static final int PARTITIONS = 6;
    private final InJvmKafka kafka;
    private final ServiceLauncher services;
    private final Path workDir;

    private LocalPipeline(InJvmKafka kafka, ServiceLauncher services, Path workDir) {
        this.kafka = kafka;
        this.services = services;
        this.workDir = workDir;
    }

    /**
     * Starts broker and services and waits until all are ready.
     *
     * @param portOffset added to the services' HTTP ports 8081–8084
     */
    public static LocalPipeline start(Path projectRoot, Path workDir, Path dataDir, int portOffset, PrintWriter log) {
        return start(projectRoot, workDir, dataDir, portOffset, 1, log);
    }

    /**
     * Starts broker and {@code replicas} processes of every service, and waits until all are ready.
     * Every topic gets {@value #PARTITIONS} partitions, so that a stage's replicas (and the consumers of
     * one replica's channels) work on different jobs at once instead of queueing behind the longest.
     */
    public static LocalPipeline start(Path projectRoot, Path workDir, Path dataDir, int portOffset, int replicas,
            PrintWriter log) {
        // Judged here, before any service starts: if no configuration is right in-process, prunectl
        // restarts with the safe ISA (SafeIsaRelaunch) and the services inherit it.
        EngineNumerics.convolution();
        log.println("starting Kafka (KRaft, in this JVM)...");
        log.flush();
        InJvmKafka kafka = InJvmKafka.start();
        ServiceLauncher services = new ServiceLauncher();
        try {
            kafka.createTopics(Topics.ALL, PARTITIONS);
            Path logs = workDir.resolve("logs");
            log.println("Kafka at " + kafka.bootstrapServers() + " (" + PARTITIONS + " partitions a topic); starting "
                    + (replicas == 1 ? "" : replicas + " replicas of ") + ServiceLauncher.SERVICES.keySet()
                    + " (logs in " + logs + ")...");
            log.flush();
            services.start(projectRoot, kafka.bootstrapServers(), workDir, dataDir, logs, portOffset, replicas);
            services.awaitReady(Duration.ofMinutes(3), logs);
            Files.createDirectories(workDir);
            Files.writeString(workDir.resolve(BROKER_FILE), kafka.bootstrapServers());
            Files.writeString(workDir.resolve(INTAKE_FILE),
                    "http://localhost:" + (ServiceLauncher.SERVICES.get("scorer-service") + portOffset));
            return new LocalPipeline(kafka, services, workDir);
        } catch (RuntimeException | IOException e) {
            services.close();
            kafka.close();
            if (e instanceof IOException io) {
                throw new UncheckedIOException(io.getMessage(), io);
            }
            throw (RuntimeException) e;
        }
    }

    /** The broker a running {@code prunectl up} recorded for this work dir, if any. */
    static Optional<String> recordedBootstrap(Path workDir) {
        return recorded(workDir.resolve(BROKER_FILE));
    }

    /** The intake's HTTP address a running {@code prunectl up} recorded for this work dir, if any. */
    static Optional<String> recordedIntake(Path workDir) {
        return recorded(workDir.resolve(INTAKE_FILE));
    }

    private static Optional<String> recorded(Path file) {
        try {
            return Files.isRegularFile(file) ? Optional.of(Files.readString(file).trim()) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    public String bootstrap() {
        return kafka.bootstrapServers();
    }

    public ServiceLauncher services() {
        return services;
    }

    public InJvmKafka kafka() {
        return kafka;
    }

    @Override
    public void close() {
        try {
            Files.deleteIfExists(workDir.resolve(BROKER_FILE));
            Files.deleteIfExists(workDir.resolve(INTAKE_FILE));
        } catch (IOException ignored) {
            // A stale file only makes the next submit try a dead address and say so.
        }
        services.close();
        kafka.close();
    }
}

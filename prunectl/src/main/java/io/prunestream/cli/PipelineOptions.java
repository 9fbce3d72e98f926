package io.prunestream.cli;

import io.prunestream.pipeline.DirectoryArtifactStore;
import io.prunestream.pipeline.WorkDir;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Where the pipeline is: the broker, and the folder the services share (artifacts, ledger, logs). */
final class PipelineOptions {
    static final String DEFAULT_BOOTSTRAP = "localhost:9092";
    static final String DEFAULT_INTAKE = "http://localhost:8081";

    @Option(names = "--bootstrap", paramLabel = "HOST:PORT",
            description = "Kafka bootstrap servers (default: $KAFKA_BOOTSTRAP_SERVERS or " + DEFAULT_BOOTSTRAP + ")")
    String bootstrap;

    @Option(names = "--work-dir", paramLabel = "DIR",
            description = "folder shared with the services (default: $PRUNESTREAM_WORK_DIR or .prunestream)")
    Path workDir;

    /** The flag, else the environment, else the broker `prunectl up` recorded in the work dir, else localhost. */
    String bootstrap() {
        return firstOf(bootstrap, "KAFKA_BOOTSTRAP_SERVERS", LocalPipeline.recordedBootstrap(workDir()), DEFAULT_BOOTSTRAP);
    }

    /** The flag, else the environment, else the intake `prunectl up` recorded in the work dir, else localhost. */
    String intake(String flag) {
        return firstOf(flag, "PRUNESTREAM_INTAKE", LocalPipeline.recordedIntake(workDir()), DEFAULT_INTAKE);
    }

    private static String firstOf(String flag, String environmentVariable, java.util.Optional<String> recorded,
            String fallback) {
        if (flag != null) {
            return flag;
        }
        String env = System.getenv(environmentVariable);
        return env != null && !env.isBlank() ? env : recorded.orElse(fallback);
    }

    Path workDir() {
        if (workDir != null) {
            return workDir.toAbsolutePath();
        }
        String env = System.getenv("PRUNESTREAM_WORK_DIR");
        return Path.of(env != null && !env.isBlank() ? env : ".prunestream").toAbsolutePath();
    }

    DirectoryArtifactStore store() {
        return new DirectoryArtifactStore(new WorkDir(workDir()).artifacts());
    }
}

package io.prunestream.pipeline.kafka;

import io.micrometer.core.instrument.MeterRegistry;
import io.prunestream.pipeline.ArtifactStore;
import io.prunestream.pipeline.ArtifactStores;
import io.prunestream.pipeline.S3Settings;
import io.prunestream.pipeline.DirectoryArtifactStore;
import io.prunestream.pipeline.WorkDir;
import io.prunestream.core.data.IdxDatasetFolder;
import io.prunestream.pipeline.stage.DataRoots;
import io.prunestream.pipeline.stage.DatasetCache;
import io.prunestream.pipeline.stage.JobLedger;
import io.prunestream.pipeline.stage.JobLimits;
import io.prunestream.pipeline.stage.PipelineMetrics;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * What the stages of a service share, built once from configuration:
 * <ul>
 *   <li>{@code prunestream.work-dir} (env {@code PRUNESTREAM_WORK_DIR}, default {@code .prunestream}):
 *       the artifact store and job ledger, laid out as {@link WorkDir} says; every service of one
 *       pipeline must see the same folder;</li>
 *   <li>{@code prunestream.artifact-store} (env {@code PRUNESTREAM_ARTIFACT_STORE}): where artifacts live
 *       instead, {@code s3://bucket/prefix} for S3-compatible storage, reached as {@link S3Settings}
 *       says; fetched copies are cached in the work directory's {@code s3-cache/};</li>
 *   <li>{@code prunestream.data} (env {@code PRUNESTREAM_DATA}): the IDX dataset folder for jobs that
 *       name none, by default Fashion-MNIST where Debian installs it;</li>
 *   <li>the {@link JobLimits} a job must keep to ({@code prunestream.limits.*}), and the data roots its
 *       {@code datasetDir} must lie in ({@code prunestream.data-roots}, env {@code PRUNESTREAM_DATA_ROOTS};
 *       by default the default dataset folder and the work directory's {@code datasets/});</li>
 *   <li>the pipeline's metrics, registered on the service's Micrometer registry (so on {@code /q/metrics}).</li>
 * </ul>
 */
@ApplicationScoped
public class PipelineEnvironment {
    static final String DJL_OFFLINE = "ai.djl.offline";

    private final WorkDir workDir;
    private final Optional<String> dataFolder;
    private final Optional<String> artifactStore;

    @Inject
    public PipelineEnvironment(
            @ConfigProperty(name = "prunestream.work-dir", defaultValue = ".prunestream") String workDir,
            @ConfigProperty(name = "prunestream.data") Optional<String> dataFolder,
            @ConfigProperty(name = "prunestream.artifact-store") Optional<String> artifactStore) {
        this.workDir = new WorkDir(Path.of(workDir));
        this.dataFolder = dataFolder.filter(folder -> !folder.isBlank());
        this.artifactStore = artifactStore.filter(location -> !location.isBlank());
    }

    /**
     * Runs at startup, before any record is consumed. DJL reads {@code ai.djl.offline} from the system
     * properties, not from Quarkus configuration, and without it tries the network for engine files
     * that the PyTorch native jars on the class path already hold: services must start on machines
     * with no internet access. An explicit {@code -Dai.djl.offline=false} is left alone.
     */
    void onStart(@Observes @Initialized(ApplicationScoped.class) Object started) {
        if (System.getProperty(DJL_OFFLINE) == null) {
            System.setProperty(DJL_OFFLINE, "true");
        }
    }

    @Produces
    @Singleton
    ArtifactStore artifactStore(Config config) {
        return artifactStore.map(location -> ArtifactStores.fromUri(location,
                        S3Settings.fromConfig(name -> config.getOptionalValue(name, String.class)),
                        workDir.root().resolve("s3-cache")))
                .orElseGet(() -> new DirectoryArtifactStore(workDir.artifacts()));
    }

    @Produces
    @Singleton
    JobLedger jobLedger() {
        return new JobLedger(workDir.ledger());
    }

    @Produces
    @Singleton
    DatasetCache datasetCache() {
        return dataFolder.map(folder -> new DatasetCache(Path.of(folder))).orElseGet(DatasetCache::new);
    }

    @Produces
    @Singleton
    JobLimits jobLimits(Config config) {
        Path defaultData = dataFolder.map(Path::of).orElseGet(IdxDatasetFolder::defaultFolder);
        DataRoots defaultRoots = new DataRoots(List.of(defaultData, workDir.root().resolve("datasets")));
        return JobLimits.fromConfig(name -> config.getOptionalValue(name, String.class), defaultRoots);
    }

    @Produces
    @Singleton
    PipelineMetrics pipelineMetrics(MeterRegistry registry) {
        return new PipelineMetrics(registry);
    }
}

package io.prunestream.cli;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.prunestream.core.data.DataSplits;
import io.prunestream.core.model.ModelPackage;
import io.prunestream.core.testing.RequiredData;
import io.prunestream.core.train.ModelTrainer;
import io.prunestream.core.train.TrainingConfig;
import io.prunestream.core.zoo.ModelZoo;
import io.prunestream.pipeline.ArtifactRef;
import io.prunestream.pipeline.DirectoryArtifactStore;
import io.prunestream.pipeline.WorkDir;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One real KRaft broker and the four services as processes, started once for every end-to-end test
 * class in the JVM ({@code @ExtendWith(EndToEndPipeline.class)}) and stopped when JUnit finishes: the
 * start costs tens of seconds, and jobs never share ids, so classes need not have their own.
 * A class is skipped, with the reason, when the service jars are missing; a missing data set fails it on
 * CI and skips it elsewhere ({@link RequiredData}).
 */
final class EndToEndPipeline implements BeforeAllCallback {
    /** Ports well away from `prunectl up`'s 8081-8084, so a running pipeline does not clash. */
    private static final int PORT_OFFSET = 300;
    private static Running running;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        Path root = builtServicesRoot();
        RequiredData.fashionMnist();
        synchronized (EndToEndPipeline.class) {
            if (running == null) {
                Path work = Files.createTempDirectory("prunestream-e2e");
                running = new Running(work, LocalPipeline.start(root, work, null, PORT_OFFSET,
                        new PrintWriter(new StringWriter())));
                // The root context's store closes its resources once, after the last test class.
                context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL).put(EndToEndPipeline.class, running);
            }
        }
    }

    /** The repository's root, whether the tests run from it or from this module. */
    static Path projectRoot() {
        return ServiceLauncher.projectRoot().getFileName().toString().equals("prunectl")
                ? ServiceLauncher.projectRoot().getParent() : ServiceLauncher.projectRoot();
    }

    /** The project root, once the service jars are known to be built there; skips the test otherwise. */
    static Path builtServicesRoot() {
        Path root = projectRoot();
        for (String service : ServiceLauncher.SERVICES.keySet()) {
            assumeTrue(Files.isRegularFile(ServiceLauncher.serviceJar(root, service)),
                    service + " is not built: run ./mvnw -B verify (or package -DskipTests) from the project root");
        }
        return root;
    }

    /** The intake's HTTP side (the scorer service): schema and model upload. */
    static String intakeUrl() {
        running();
        return "http://localhost:" + (ServiceLauncher.SERVICES.get("scorer-service") + PORT_OFFSET);
    }

    static String bootstrap() {
        return running().pipeline.bootstrap();
    }

    static PipelineClient client() {
        return new PipelineClient(bootstrap());
    }

    /** Puts a model into the services' artifact store, as {@code prunectl submit} does. */
    static ArtifactRef store(String name, ModelPackage model) throws IOException {
        return new DirectoryArtifactStore(new WorkDir(running().work).artifacts()).putModel(name, model);
    }

    /**
     * A VGG-small (it has batch-norm, which slimming and adaptive BN need) trained briefly on a few
     * Fashion-MNIST images, stored where the services read it: enough to lift it above chance.
     */
    static ArtifactRef trainedVggSmall(String name, long seed, int trainImages, int epochs, int batchSize)
            throws IOException {
        ModelPackage fresh = ModelZoo.create("vgg-small", seed);
        DataSplits data = DataSplits.load(RequiredData.fashionMnist(), fresh.spec().input(), seed,
                new DataSplits.Limits(trainImages, 100, 100));
        ModelPackage trained = new ModelTrainer(TrainingConfig.builder().epochs(epochs).batchSize(batchSize)
                .learningRate(0.05).seed(seed).build()).train(fresh, data.train()).model();
        return store(name, trained);
    }

    private static Running running() {
        if (running == null) {
            throw new IllegalStateException("annotate the test class with @ExtendWith(EndToEndPipeline.class)");
        }
        return running;
    }

    private record Running(Path work, LocalPipeline pipeline) implements ExtensionContext.Store.CloseableResource {
        @Override
        public void close() throws IOException {
            pipeline.close();
            try (Stream<Path> files = Files.walk(work)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}

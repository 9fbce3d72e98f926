package io.prunestream.cli;

import io.prunestream.core.data.DataSplits;
import io.prunestream.core.model.ModelPackage;
import io.prunestream.core.model.PackageIO;
import io.prunestream.core.train.TrainingConfig;
import io.prunestream.core.zoo.ModelZoo;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train a zoo architecture (or continue training a package) and write the package.")
final class TrainCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @ArgGroup(multiplicity = "1")
    Source source;

    static final class Source {
        @Option(names = "--arch", description = "zoo architecture: ${COMPLETION-CANDIDATES}",
                completionCandidates = Architectures.class)
        String arch;

        @Option(names = "--model", paramLabel = "PKG", description = "package to continue training")
        String model;
    }

    @Mixin
    DataOptions data;

    @Option(names = "--epochs", defaultValue = "10", description = "epochs (default: ${DEFAULT-VALUE})")
    int epochs;

    @Option(names = "--batch-size", defaultValue = "128", description = "batch size (default: ${DEFAULT-VALUE})")
    int batchSize;

    @Option(names = "--lr", defaultValue = "0.1", description = "initial learning rate of the cosine schedule (default: ${DEFAULT-VALUE})")
    double learningRate;

    @Option(names = "--weight-decay", defaultValue = "5e-4", description = "(default: ${DEFAULT-VALUE})")
    double weightDecay;

    @Option(names = "--out", required = true, paramLabel = "PKG", description = "package folder to write")
    Path out;

    @Override
    public Integer call() {
        PrintWriter w = spec.commandLine().getOut();
        ModelPackage initial = source.arch != null ? ModelZoo.create(source.arch, data.seed) : ModelSource.load(source.model);
        DataSplits splits = data.load(initial.spec());
        w.printf("training %s on %d images (%d held out, %d test)%n", initial.spec().name(), splits.train().size(),
                splits.heldOut().size(), splits.test().size());
        TrainingConfig config = TrainingConfig.builder().epochs(epochs).batchSize(batchSize).learningRate(learningRate)
                .weightDecay(weightDecay).seed(data.seed).build();
        ModelPackage trained = Training.run(initial, splits, config, w);
        PackageIO.save(trained, out);
        writeMetrics(out.resolve("metrics.json"), (Map<?, ?>) trained.spec().info().get("training"));
        w.println("wrote " + out);
        return 0;
    }

    private static void writeMetrics(Path file, Map<?, ?> metrics) {
        try {
            Files.writeString(file, new com.fasterxml.jackson.databind.ObjectMapper()
                    .writerWithDefaultPrettyPrinter().writeValueAsString(metrics));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    static final class Architectures implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return ModelZoo.ARCHITECTURES.iterator();
        }
    }
}

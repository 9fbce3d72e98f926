package io.prunestream.cli;

import io.prunestream.core.data.DataSplits;
import io.prunestream.core.model.ModelPackage;
import io.prunestream.core.model.PackageIO;
import io.prunestream.core.train.EvalResult;
import io.prunestream.core.train.Evaluator;
import io.prunestream.core.train.ModelTrainer;
import io.prunestream.core.train.TrainingConfig;
import io.prunestream.core.train.TrainingResult;
import io.prunestream.core.zoo.ModelZoo;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
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
        DataSplits splits = data.load(initial.spec().input());
        w.printf("training %s on %d images (%d held out, %d test)%n", initial.spec().name(), splits.train().size(),
                splits.heldOut().size(), splits.test().size());
        TrainingConfig config = TrainingConfig.builder().epochs(epochs).batchSize(batchSize).learningRate(learningRate)
                .weightDecay(weightDecay).seed(data.seed).build();
        ProgressBars bars = new ProgressBars("train", w);
        TrainingResult result;
        try {
            result = new ModelTrainer(config, bars).train(initial, splits.train());
        } finally {
            bars.close();
        }
        EvalResult test = new Evaluator().evaluate(result.model(), splits.test());
        Map<String, Object> metrics = new LinkedHashMap<>();
        metrics.put("testAccuracy", test.accuracy());
        metrics.put("testLoss", test.loss());
        metrics.put("testImages", test.samples());
        metrics.put("trainImages", splits.train().size());
        metrics.put("epochs", epochs);
        metrics.put("finalTrainLoss", result.lastEpoch().trainLoss());
        metrics.put("imagesPerSecond", result.lastEpoch().imagesPerSecond());
        ModelPackage trained = result.model().withInfo(Map.of("training", metrics));
        PackageIO.save(trained, out);
        writeMetrics(out.resolve("metrics.json"), metrics, result);
        w.printf("test accuracy %.4f, loss %.4f on %d images; wrote %s%n", test.accuracy(), test.loss(), test.samples(), out);
        return 0;
    }

    private static void writeMetrics(Path file, Map<String, Object> metrics, TrainingResult result) {
        Map<String, Object> all = new LinkedHashMap<>(metrics);
        all.put("history", result.history());
        try {
            Files.writeString(file, new com.fasterxml.jackson.databind.ObjectMapper()
                    .writerWithDefaultPrettyPrinter().writeValueAsString(all));
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

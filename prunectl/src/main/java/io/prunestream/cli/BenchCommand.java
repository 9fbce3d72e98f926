package io.prunestream.cli;

import io.prunestream.cli.bench.BenchmarkDoc;
import io.prunestream.cli.bench.FoundationBenchmark;
import io.prunestream.cli.bench.TfBenchSection;
import io.prunestream.cli.bench.TrainingBenchmark;
import io.prunestream.core.data.DataSplits;
import io.prunestream.core.zoo.ModelZoo;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Run a benchmark on full data and write its section of docs/BENCHMARKS.md (not a test: hours on 2 cores).")
final class BenchCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "NAME", description = "benchmark: foundation, pipeline (the demo job through Kafka), tf (the TensorFlow bridge), training (slimming, GAL, L1, EagleEye on --model)")
    String name;

    @Option(names = "--epochs", defaultValue = "30", description = "ResNet-20 training epochs (default: ${DEFAULT-VALUE})")
    int epochs;

    @Option(names = "--finetune-epochs", defaultValue = "2", description = "fine-tuning epochs after pruning (default: ${DEFAULT-VALUE})")
    int finetuneEpochs;

    @Option(names = "--doc", defaultValue = "docs/BENCHMARKS.md", description = "file to update (default: ${DEFAULT-VALUE})")
    Path doc;

    @Option(names = "--model", paramLabel = "PKG", description = "trained model package (bench training; ResNet-20)")
    String model;

    @Mixin
    DataOptions data;

    @Mixin
    PipelineOptions pipeline;

    @Override
    public Integer call() {
        if (name.equals(TfBenchSection.NAME)) {
            TfBenchSection.run(spec.commandLine().getOut(), doc);
            spec.commandLine().getOut().println("wrote section '" + name + "' of " + doc);
            return 0;
        }
        if (name.equals("pipeline")) {
            String section = PipelineBenchmark.run(DemoJob.DEFAULT, pipeline.workDir(), ServiceLauncher.projectRoot(),
                    spec.commandLine().getOut());
            BenchmarkDoc.writeSection(doc, name, section);
            spec.commandLine().getOut().println("wrote section '" + name + "' of " + doc);
            return 0;
        }
        if (name.equals(TrainingBenchmark.NAME)) {
            return training();
        }
        if (!name.equals("foundation")) {
            throw new IllegalArgumentException("unknown benchmark '" + name + "' (known: foundation, pipeline, tf, "
                    + TrainingBenchmark.NAME + ")");
        }
        PrintWriter out = spec.commandLine().getOut();
        DataSplits splits = data.load(ModelZoo.FASHION_MNIST);
        ProgressBars bars = new ProgressBars("bench", out);
        String command = "bin/prunectl bench foundation --epochs " + epochs + " --finetune-epochs " + finetuneEpochs
                + (data.trainLimit != null ? " --train-limit " + data.trainLimit : "")
                + (data.testLimit != null ? " --test-limit " + data.testLimit : "");
        try {
            String section = new FoundationBenchmark(epochs, finetuneEpochs, splits, out, bars).run(command);
            BenchmarkDoc.writeSection(doc, name, section);
        } finally {
            bars.close();
        }
        out.println("wrote section '" + name + "' of " + doc);
        return 0;
    }

    /** Slimming, GAL, L1 and EagleEye on the given trained package, {@code --finetune-epochs} epochs each in all. */
    private Integer training() {
        if (model == null) {
            throw new IllegalArgumentException("bench training needs --model PKG (a trained ResNet-20 package)");
        }
        PrintWriter out = spec.commandLine().getOut();
        io.prunestream.core.model.ModelPackage pkg = ModelSource.load(model);
        DataSplits splits = data.load(pkg.spec().input());
        ProgressBars bars = new ProgressBars("bench", out);
        String command = "bin/prunectl bench training --model " + model + " --finetune-epochs " + finetuneEpochs
                + (data.trainLimit != null ? " --train-limit " + data.trainLimit : "")
                + (data.testLimit != null ? " --test-limit " + data.testLimit : "");
        try {
            Path charts = doc.toAbsolutePath().getParent();
            String section = new TrainingBenchmark(finetuneEpochs, splits, out, bars, java.util.OptionalInt.empty(),
                    charts).run(pkg, command);
            BenchmarkDoc.writeSection(doc, name, section);
        } finally {
            bars.close();
        }
        out.println("wrote section '" + name + "' of " + doc);
        return 0;
    }
}

package io.prunestream.cli;

import io.prunestream.cli.bench.BenchmarkDoc;
import io.prunestream.cli.bench.CriteriaBenchmark;
import io.prunestream.cli.bench.FoundationBenchmark;
import io.prunestream.cli.bench.TfBenchSection;
import io.prunestream.core.data.DataSplits;
import io.prunestream.core.zoo.ModelZoo;
import io.prunestream.core.model.ModelPackage;
import io.prunestream.core.train.ModelTrainer;
import io.prunestream.core.train.TrainingConfig;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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

    @Parameters(index = "0", paramLabel = "NAME", description = "benchmark: foundation, criteria (every criterion against the oracle, and pruning with each), "
            + "pipeline (the demo job through Kafka), tf (the TensorFlow bridge)")
    String name;

    @Option(names = "--epochs", defaultValue = "30", description = "ResNet-20 training epochs (default: ${DEFAULT-VALUE})")
    int epochs;

    @Option(names = "--finetune-epochs", defaultValue = "2", description = "fine-tuning epochs after pruning (default: ${DEFAULT-VALUE})")
    int finetuneEpochs;

    @Option(names = "--model", paramLabel = "PKG", description = "criteria: a trained package to grade (repeat for "
            + "several; default: train resnet20 and vgg-small for --epochs); the first resnet20 among them is the one "
            + "every criterion prunes")
    List<String> models = new ArrayList<>();

    @Option(names = "--grading-samples", defaultValue = "128", paramLabel = "N",
            description = "criteria: training images the criteria and the oracle see (default: ${DEFAULT-VALUE})")
    int gradingSamples;

    @Option(names = "--finetune-images", paramLabel = "N",
            description = "criteria: fine-tune on a seeded sample of N training images instead of all")
    Integer finetuneImages;

    @Option(names = "--doc", defaultValue = "docs/BENCHMARKS.md", description = "file to update (default: ${DEFAULT-VALUE})")
    Path doc;

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
        if (name.equals("criteria")) {
            return criteria();
        }
        if (!name.equals("foundation")) {
            throw new IllegalArgumentException("unknown benchmark '" + name + "' (known: foundation, criteria, pipeline, "
                    + "tf)");
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

    private Integer criteria() {
        PrintWriter out = spec.commandLine().getOut();
        DataSplits splits = data.load(ModelZoo.FASHION_MNIST);
        ProgressBars bars = new ProgressBars("bench", out);
        try {
            List<ModelPackage> graded = new ArrayList<>();
            for (String ref : models) {
                graded.add(ModelSource.load(ref));
            }
            if (graded.isEmpty()) {
                for (String arch : List.of("resnet20", "vgg-small")) {
                    out.println("training " + arch + " for " + epochs + " epoch(s) (pass --model to reuse a trained one)");
                    graded.add(new ModelTrainer(TrainingConfig.builder().epochs(epochs).seed(data.seed).build(), bars)
                            .train(ModelZoo.create(arch, data.seed), splits.train()).model());
                }
            }
            ModelPackage pruned = graded.stream().filter(m -> "resnet20".equals(m.spec().architecture())).findFirst()
                    .orElse(graded.get(0));
            StringBuilder command = new StringBuilder("bin/prunectl bench criteria");
            models.forEach(m -> command.append(" --model ").append(m));
            if (models.isEmpty()) {
                command.append(" --epochs ").append(epochs);
            }
            command.append(" --finetune-epochs ").append(finetuneEpochs);
            if (finetuneImages != null) {
                command.append(" --finetune-images ").append(finetuneImages);
            }
            command.append(" --grading-samples ").append(gradingSamples);
            String section = new CriteriaBenchmark(splits, out, bars, doc.toAbsolutePath().getParent())
                    .gradingSamples(gradingSamples).finetune(finetuneEpochs, finetuneImages)
                    .run(command.toString(), graded, pruned);
            BenchmarkDoc.writeSection(doc, name, section);
        } finally {
            bars.close();
        }
        out.println("wrote section '" + name + "' of " + doc);
        return 0;
    }
}

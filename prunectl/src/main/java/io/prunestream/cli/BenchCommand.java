package io.prunestream.cli;

import io.prunestream.cli.bench.BenchmarkDoc;
import io.prunestream.cli.bench.FoundationBenchmark;
import io.prunestream.cli.bench.TfBenchSection;
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

    @Parameters(index = "0", paramLabel = "NAME", description = "benchmark: foundation, pipeline (the demo job through Kafka), tf (the TensorFlow bridge), search (allocation strategies; needs --model)")
    String name;

    @Option(names = "--epochs", defaultValue = "30", description = "ResNet-20 training epochs (default: ${DEFAULT-VALUE})")
    int epochs;

    @Option(names = "--finetune-epochs", defaultValue = "2", description = "fine-tuning epochs after pruning (default: ${DEFAULT-VALUE})")
    int finetuneEpochs;

    @Option(names = "--doc", defaultValue = "docs/BENCHMARKS.md", description = "file to update (default: ${DEFAULT-VALUE})")
    Path doc;

    @Option(names = "--model", paramLabel = "PKG", description = "search: the trained model package to prune")
    Path model;

    @Option(names = "--candidates", defaultValue = "30", description = "search: random EagleEye candidates (default: ${DEFAULT-VALUE})")
    int candidates;

    @Option(names = "--target", defaultValue = "0.5", description = "search: share of the FLOPs to keep (default: ${DEFAULT-VALUE})")
    double target;

    @Option(names = "--max-finetune-batches", defaultValue = "200", description = "search: batches per fine-tuning epoch of every candidate (default: ${DEFAULT-VALUE})")
    int maxFinetuneBatches;

    @Option(names = "--calibration-batches", defaultValue = "1,2,5,10,20,50,100", split = ",", description = "search: adaptive-BN batch counts to compare (default: ${DEFAULT-VALUE})")
    java.util.List<Integer> calibrationBatches;

    @Option(names = "--dsa-steps", defaultValue = "200", description = "search: DSA optimiser steps (default: ${DEFAULT-VALUE})")
    int dsaSteps;

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
        if (name.equals("search")) {
            return search();
        }
        if (!name.equals("foundation")) {
            throw new IllegalArgumentException("unknown benchmark '" + name + "' (known: foundation, pipeline, tf, search)");
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

    private int search() {
        if (model == null) {
            throw new IllegalArgumentException("bench search needs --model PKG (a trained model package)");
        }
        PrintWriter out = spec.commandLine().getOut();
        io.prunestream.core.model.ModelPackage pkg = io.prunestream.core.model.PackageIO.load(model);
        DataSplits splits = data.load(pkg.spec().input());
        String command = "bin/prunectl bench search --model " + model + " --candidates " + candidates + " --target "
                + target + " --finetune-epochs " + finetuneEpochs + " --max-finetune-batches " + maxFinetuneBatches
                + " --calibration-batches " + calibrationBatches.stream().map(String::valueOf)
                        .collect(java.util.stream.Collectors.joining(",")) + " --dsa-steps " + dsaSteps
                + (data.trainLimit != null ? " --train-limit " + data.trainLimit : "")
                + (data.testLimit != null ? " --test-limit " + data.testLimit : "");
        Path docs = doc.toAbsolutePath().getParent();
        String section = new io.prunestream.cli.bench.SearchBenchmark(pkg, splits,
                new io.prunestream.cli.bench.SearchBenchmark.Settings(candidates, target, finetuneEpochs,
                        maxFinetuneBatches, calibrationBatches, dsaSteps, data.seed), docs, out).run(command);
        BenchmarkDoc.writeSection(doc, name, section);
        out.println("wrote section '" + name + "' of " + doc);
        return 0;
    }
}

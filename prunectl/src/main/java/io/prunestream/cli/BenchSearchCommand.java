package io.prunestream.cli;

import io.prunestream.cli.bench.SearchBenchmark;
import io.prunestream.core.data.DataSplits;
import io.prunestream.core.model.ModelPackage;
import io.prunestream.core.model.PackageIO;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "search", mixinStandardHelpOptions = true,
        description = "Per-layer ratio search: does adaptive BN predict fine-tuned accuracy (random EagleEye candidates), "
                + "how fast is it, and uniform, global, EagleEye, AOFP and DSA side by side.")
final class BenchSearchCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "PKG", description = "the trained model package to prune")
    Path model;

    @Option(names = "--candidates", defaultValue = "30", description = "random EagleEye candidates (default: ${DEFAULT-VALUE})")
    int candidates;

    @Option(names = "--target", defaultValue = "0.5", description = "share of the FLOPs to keep (default: ${DEFAULT-VALUE})")
    double target;

    @Option(names = "--finetune-epochs", defaultValue = "1", description = "fine-tuning epochs of every candidate (default: ${DEFAULT-VALUE})")
    int finetuneEpochs;

    @Option(names = "--max-finetune-batches", defaultValue = "200", description = "batches per fine-tuning epoch of every candidate (default: ${DEFAULT-VALUE})")
    int maxFinetuneBatches;

    @Option(names = "--calibration-batches", defaultValue = "1,2,5,10,20,50,100", split = ",",
            description = "adaptive-BN batch counts to compare (default: ${DEFAULT-VALUE})")
    List<Integer> calibrationBatches;

    @Option(names = "--dsa-steps", defaultValue = "200", description = "DSA optimiser steps (default: ${DEFAULT-VALUE})")
    int dsaSteps;

    @Option(names = "--finetune-seeds", defaultValue = "3", paramLabel = "N",
            description = "fine-tuning runs of every strategy's cut in the comparison (default: ${DEFAULT-VALUE})")
    int finetuneSeeds;

    @Mixin
    BenchOptions bench;

    @Mixin
    ThreadOptions threads;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        threads.apply(out);
        ModelPackage pkg = PackageIO.load(model);
        DataSplits splits = bench.data.load(pkg.spec());
        String command = "bin/prunectl bench search --model " + model + " --candidates " + candidates + " --target "
                + target + " --finetune-epochs " + finetuneEpochs + " --max-finetune-batches " + maxFinetuneBatches
                + " --calibration-batches " + calibrationBatches.stream().map(String::valueOf)
                        .collect(Collectors.joining(",")) + " --dsa-steps " + dsaSteps + " --finetune-seeds " + finetuneSeeds + bench.dataFlags() + threads.flags();
        String section = new SearchBenchmark(pkg, splits, new SearchBenchmark.Settings(candidates, target, finetuneEpochs,
                maxFinetuneBatches, calibrationBatches, dsaSteps, bench.data.seed, finetuneSeeds), bench.chartFolder(), out)
                .run(command);
        // One section per model, so that ResNet-20 and MobileNetV2-small stand side by side.
        bench.write("search-" + pkg.spec().name(), section, out);
        return 0;
    }
}

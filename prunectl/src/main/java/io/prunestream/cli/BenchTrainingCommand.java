package io.prunestream.cli;

import io.prunestream.cli.bench.TrainingBenchmark;
import io.prunestream.core.data.DataSplits;
import io.prunestream.core.model.ModelPackage;
import java.io.PrintWriter;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = TrainingBenchmark.NAME, mixinStandardHelpOptions = true,
        description = "Slimming, GAL, EagleEye+L1 and plain L1 at about 50%% FLOPs with the same total training budget.")
final class BenchTrainingCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "PKG", description = "trained model package (ResNet-20)")
    String model;

    @Option(names = "--finetune-epochs", defaultValue = "2",
            description = "training epochs every method gets in total (at least 2; default: ${DEFAULT-VALUE})")
    int finetuneEpochs;

    @Option(names = "--max-batches-per-epoch", paramLabel = "N", description = "cap every epoch at N batches")
    Integer maxBatchesPerEpoch;

    @Option(names = "--gal-lambda", split = ",", paramLabel = "L[,L...]", defaultValue = "0.5,1,2",
            description = "GAL sparsity weights to try; each costs one GAL phase and the cut nearest the target is "
                    + "fine-tuned (default: ${DEFAULT-VALUE})")
    List<Double> galLambdas;

    @Option(names = "--slimming-lambda", paramLabel = "L", defaultValue = "" + TrainingBenchmark.DEFAULT_SLIMMING_LAMBDA,
            description = "network slimming's L1 weight on BN scales during its sparsity phase (default: ${DEFAULT-VALUE})")
    double slimmingLambda;

    @Option(names = "--seeds", defaultValue = "3", paramLabel = "N",
            description = "runs per method, on seeds 42, 43, ...; tables show mean ± spread (default: ${DEFAULT-VALUE})")
    int seeds;

    @Mixin
    BenchOptions bench;

    @Mixin
    ThreadOptions threads;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        threads.apply(out);
        ModelPackage pkg = ModelSource.load(model);
        DataSplits splits = bench.data.load(pkg.spec());
        String command = "bin/prunectl bench training --model " + model + " --finetune-epochs " + finetuneEpochs
                + (maxBatchesPerEpoch != null ? " --max-batches-per-epoch " + maxBatchesPerEpoch : "")
                + " --gal-lambda " + galLambdas.stream().map(String::valueOf).collect(Collectors.joining(","))
                + " --slimming-lambda " + slimmingLambda + " --seeds " + seeds
                + bench.dataFlags() + threads.flags();
        try (ProgressBars bars = new ProgressBars("bench", out)) {
            String section = new TrainingBenchmark(finetuneEpochs, splits, out, bars,
                    maxBatchesPerEpoch == null ? OptionalInt.empty() : OptionalInt.of(maxBatchesPerEpoch),
                    bench.chartFolder(), galLambdas).slimmingLambda(slimmingLambda).seeds(seeds).run(pkg, command);
            bench.write(TrainingBenchmark.NAME, section, out);
        }
        return 0;
    }
}

package io.prunestream.cli;

import io.prunestream.cli.bench.FoundationBenchmark;
import io.prunestream.core.data.DataSplits;
import io.prunestream.core.zoo.ModelZoo;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "foundation", mixinStandardHelpOptions = true,
        description = "ResNet-20 training throughput and accuracy, surgery time, L1 and FPGM at 50%% FLOPs.")
final class BenchFoundationCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--epochs", defaultValue = "30", description = "ResNet-20 training epochs (default: ${DEFAULT-VALUE})")
    int epochs;

    @Option(names = "--finetune-epochs", defaultValue = "2", description = "fine-tuning epochs after pruning (default: ${DEFAULT-VALUE})")
    int finetuneEpochs;

    @Mixin
    BenchOptions bench;

    @Mixin
    ThreadOptions threads;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        threads.apply(out);
        DataSplits splits = bench.data.load(ModelZoo.FASHION_MNIST);
        String command = "bin/prunectl bench foundation --epochs " + epochs + " --finetune-epochs " + finetuneEpochs
                + bench.dataFlags() + threads.flags();
        try (ProgressBars bars = new ProgressBars("bench", out)) {
            bench.write("foundation", new FoundationBenchmark(epochs, finetuneEpochs, splits, out, bars).run(command), out);
        }
        return 0;
    }
}

package io.prunestream.cli;

import io.prunestream.cli.bench.TfBenchSection;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = TfBenchSection.NAME, mixinStandardHelpOptions = true,
        description = "The TensorFlow bridge: import, export, parity of the two engines and latency.")
final class BenchTfCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    BenchOptions bench;

    @Override
    public Integer call() {
        TfBenchSection.run(spec.commandLine().getOut(), bench.doc);
        spec.commandLine().getOut().println("wrote section '" + TfBenchSection.NAME + "' of " + bench.doc);
        return 0;
    }
}

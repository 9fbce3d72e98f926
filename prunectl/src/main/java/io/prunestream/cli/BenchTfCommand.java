package io.prunestream.cli;

import io.prunestream.cli.bench.TfBenchSection;
import java.io.PrintWriter;
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

    @Mixin
    ThreadOptions threads;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        threads.apply(out);
        TfBenchSection.run(out, bench.doc, "bin/prunectl bench " + TfBenchSection.NAME + threads.flags());
        out.println("wrote section '" + TfBenchSection.NAME + "' of " + bench.doc);
        return 0;
    }
}

package io.prunestream.cli;

import io.prunestream.cli.bench.PeerBenchmark;
import io.prunestream.cli.bench.PeerBudget;
import io.prunestream.cli.bench.PeerSection;
import io.prunestream.cli.bench.TorchPeer;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = PeerBenchmark.NAME, mixinStandardHelpOptions = true,
        description = "PruneStream against PyTorch (a Python with torch, e.g. Debian's python3-torch) on the same "
                + "CPU and package: training img/s at batch 128 and inference latency at batch 1 and 256, in rounds "
                + "alternating between the two. Without torch it measures PruneStream alone and says so.")
final class BenchPeerCommand implements Callable<Integer> {
    static final String DEFAULT_MODEL = "zoo:resnet20";

    @Spec
    CommandSpec spec;

    @Mixin
    DocOptions doc;

    @Mixin
    ThreadOptions threads;

    @Option(names = "--model", paramLabel = "PKG", defaultValue = DEFAULT_MODEL,
            description = "package, SavedModel folder or zoo:NAME both sides run (default: ${DEFAULT-VALUE})")
    String model;

    @Option(names = "--rounds", defaultValue = "5", description = "rounds of each side, alternating (default: ${DEFAULT-VALUE})")
    int rounds;

    @Option(names = "--train-batches", defaultValue = "10", description = "timed SGD steps of batch 128 per round, "
            + "after as many untimed (default: ${DEFAULT-VALUE})")
    int trainBatches;

    @Option(names = "--latency-runs", defaultValue = "20", description = "timed inference runs per batch size per "
            + "round (default: ${DEFAULT-VALUE})")
    int latencyRuns;

    @Option(names = "--python", paramLabel = "PATH", description = "Python interpreter with torch (default: the "
            + "first of python3, /usr/bin/python3 that imports torch)")
    String python;

    @Override
    public Integer call() {
        PeerBudget budget = new PeerBudget(rounds, trainBatches, latencyRuns);
        PrintWriter out = spec.commandLine().getOut();
        int intraOp = threads.apply(out).intraOp();
        PeerBenchmark.Result result = PeerBenchmark.run(ModelSource.load(model), budget,
                python != null ? List.of(python) : TorchPeer.DEFAULT_PYTHONS, intraOp, out);
        doc.write(PeerBenchmark.NAME, PeerSection.render(result, command()), out);
        return 0;
    }

    /** The command as given, for the line recorded beside the numbers. */
    private String command() {
        return "bin/prunectl bench " + PeerBenchmark.NAME + (model.equals(DEFAULT_MODEL) ? "" : " --model " + model)
                + " --rounds " + rounds + " --train-batches " + trainBatches + " --latency-runs " + latencyRuns
                + (python != null ? " --python " + python : "") + threads.flags();
    }
}

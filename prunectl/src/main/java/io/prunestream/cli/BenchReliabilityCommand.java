package io.prunestream.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "reliability", mixinStandardHelpOptions = true,
        description = "Exactly once under faults: concurrent small jobs on replicated services while a replica of "
                + "every service is killed mid-stage, one is stopped with SIGTERM and the broker restarts; "
                + "every job must end with one result, as in a fault-free run.")
final class BenchReliabilityCommand extends PipelineBenchCommand implements Callable<Integer> {
    @Option(names = "--jobs", defaultValue = "20", description = "jobs submitted at once (default: ${DEFAULT-VALUE})")
    int jobs;

    @Option(names = "--replicas", defaultValue = "2", description = "processes per service (default: ${DEFAULT-VALUE})")
    int replicas;

    @Override
    public Integer call() {
        // Small jobs: each trains on --train-limit images (600 unless given).
        int trainImages = bench.data.trainLimit != null ? bench.data.trainLimit : 600;
        ReliabilityBenchmark.Settings settings = new ReliabilityBenchmark.Settings(jobs, replicas, bench.data.seed,
                trainImages, bench.data.data);
        ReliabilityBenchmark.Report report = new ReliabilityBenchmark(settings, pipeline.workDir(),
                ServiceLauncher.projectRoot(), spec.commandLine().getOut()).run();
        String command = "bin/prunectl bench reliability --jobs " + jobs + " --replicas " + replicas
                + " --train-limit " + trainImages + " --seed " + bench.data.seed;
        bench.write("reliability", ReliabilityBenchmark.section(report, command), spec.commandLine().getOut());
        return report.passed() ? 0 : 1;
    }
}

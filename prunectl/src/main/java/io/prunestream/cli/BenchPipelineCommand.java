package io.prunestream.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

@Command(name = "pipeline", mixinStandardHelpOptions = true,
        description = "The demo job through Kafka: pipeline overhead with cold and warm services.")
final class BenchPipelineCommand extends PipelineBenchCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        String section = PipelineBenchmark.run(DemoJob.DEFAULT, pipeline.workDir(), ServiceLauncher.projectRoot(),
                spec.commandLine().getOut());
        bench.write("pipeline", section, spec.commandLine().getOut());
        return 0;
    }
}

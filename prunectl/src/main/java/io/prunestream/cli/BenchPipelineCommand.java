package io.prunestream.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "pipeline", mixinStandardHelpOptions = true,
        description = "The demo job through Kafka: pipeline overhead with cold and warm services.")
final class BenchPipelineCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    BenchOptions bench;

    @Mixin
    PipelineOptions pipeline;

    @Override
    public Integer call() {
        String section = PipelineBenchmark.run(DemoJob.DEFAULT, pipeline.workDir(), ServiceLauncher.projectRoot(),
                spec.commandLine().getOut());
        bench.write("pipeline", section, spec.commandLine().getOut());
        return 0;
    }
}

package io.prunestream.cli;

import io.prunestream.pipeline.JobIds;
import io.prunestream.pipeline.JobResult;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "watch", mixinStandardHelpOptions = true,
        description = "Follow a job's events on prune.events until its result arrives, then print the report.")
final class WatchCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "JOB", description = "job id printed by submit")
    String jobId;

    @Option(names = "--timeout", defaultValue = "7200", paramLabel = "SECONDS", description = "(default: ${DEFAULT-VALUE})")
    long timeoutSeconds;

    @Mixin
    PipelineOptions pipeline;

    @Override
    public Integer call() {
        JobIds.requireValid(jobId);
        PrintWriter out = spec.commandLine().getOut();
        JobResult result = new PipelineClient(pipeline.bootstrap())
                .watch(jobId, Duration.ofSeconds(timeoutSeconds), e -> ResultPrinter.event(out, e));
        return ResultPrinter.result(out, result);
    }
}

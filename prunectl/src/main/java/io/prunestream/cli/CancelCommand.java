package io.prunestream.cli;

import io.prunestream.pipeline.JobIds;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "cancel", mixinStandardHelpOptions = true,
        description = "Cancel a job: its work stops within a batch in whichever stage holds it, and it ends with a "
                + "CANCELLED result (see it with watch). A job that has ended already is left as it is.")
final class CancelCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "JOB", description = "job id printed by submit")
    String jobId;

    @Option(names = "--reason", paramLabel = "TEXT", description = "what the result's cause says (default: who cancelled)")
    String reason;

    @Mixin
    PipelineOptions pipeline;

    @Override
    public Integer call() {
        JobIds.requireValid(jobId);
        String why = reason != null && !reason.isBlank() ? reason
                : "cancelled by " + System.getProperty("user.name", "a user") + " (prunectl cancel)";
        new PipelineClient(pipeline.bootstrap()).cancel(jobId, why);
        PrintWriter out = spec.commandLine().getOut();
        out.println("cancel sent for job " + jobId + "; follow it with: prunectl watch " + jobId);
        return 0;
    }
}

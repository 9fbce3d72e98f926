package io.prunestream.cli;

import io.prunestream.core.model.ModelPackage;
import io.prunestream.pipeline.ArtifactRef;
import io.prunestream.pipeline.JobIds;
import io.prunestream.pipeline.JobMessage;
import io.prunestream.pipeline.JobSpec;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "submit", mixinStandardHelpOptions = true,
        description = "Store a model in the artifact store and submit a pruning job to prune.jobs; prints the job id.")
final class SubmitCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "PKG", description = "package folder or zip, a TensorFlow SavedModel folder (imported first), or zoo:<arch>")
    String model;

    @Mixin
    JobOptions job;

    @Mixin
    PipelineOptions pipeline;

    @Override
    public Integer call() {
        ModelPackage pkg = ModelSource.load(model);
        String id = JobIds.newId();
        ArtifactRef ref = pipeline.store().putModel(id + "/submitted", pkg);
        JobSpec jobSpec = job.toSpec(ref);
        List<String> problems = jobSpec.validate();
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("invalid job: " + String.join("; ", problems));
        }
        new PipelineClient(pipeline.bootstrap()).submit(JobMessage.start(id, jobSpec));
        spec.commandLine().getOut().println(id);
        return 0;
    }
}

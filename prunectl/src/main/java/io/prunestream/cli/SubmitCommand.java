package io.prunestream.cli;

import io.prunestream.core.model.ModelPackage;
import io.prunestream.pipeline.ArtifactRef;
import io.prunestream.pipeline.JobIds;
import io.prunestream.pipeline.JobSpec;
import io.prunestream.pipeline.Submission;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * A producer like any other (docs/PRODUCERS.md): uploads the model to the intake over HTTP and writes
 * a submission on {@code prune.jobs}, so it needs no folder shared with the services and works the
 * same with the folder store and with S3.
 */
@Command(name = "submit", mixinStandardHelpOptions = true,
        description = "Upload a model to the intake and submit a pruning job on prune.jobs; prints the job id.")
final class SubmitCommand implements Callable<Integer> {
    /** Stands in for the model while the job's options are checked, before anything is uploaded. */
    private static final ArtifactRef NOT_YET_UPLOADED = new ArtifactRef("not-yet-uploaded.zip", 1, "0".repeat(64));

    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "PKG", description = "package folder or zip, a TensorFlow SavedModel folder (imported first), or zoo:<arch>")
    String model;

    @Option(names = "--intake", paramLabel = "URL",
            description = "the intake's HTTP address, where the model is uploaded (default: $PRUNESTREAM_INTAKE, "
                    + "else the one `prunectl up` recorded in the work dir, else " + PipelineOptions.DEFAULT_INTAKE + ")")
    String intake;

    @Mixin
    JobOptions job;

    @Mixin
    PipelineOptions pipeline;

    @Override
    public Integer call() {
        // Everything the command line can get wrong is reported before a byte is uploaded.
        JobSpec jobSpec = job.toSpec(NOT_YET_UPLOADED);
        List<String> problems = jobSpec.validate();
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("invalid job: " + String.join("; ", problems));
        }
        ModelPackage pkg = ModelSource.load(model);
        String id = JobIds.newId();
        Submission.ModelReference uploaded = new ModelUpload(pipeline.intake(intake)).upload(pkg, id);
        // The submission names the uploaded model; the placeholder in the spec does not travel.
        new PipelineClient(pipeline.bootstrap()).submit(Submission.of(id, uploaded, jobSpec));
        spec.commandLine().getOut().println(id);
        return 0;
    }
}

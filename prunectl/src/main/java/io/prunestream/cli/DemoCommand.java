package io.prunestream.cli;

import io.prunestream.core.model.ModelPackage;
import io.prunestream.pipeline.ArtifactRef;
import io.prunestream.pipeline.JobIds;
import io.prunestream.pipeline.JobMessage;
import io.prunestream.pipeline.JobResult;
import io.prunestream.pipeline.JobSpec;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Train a small baseline (cached), run the pipeline on this machine if none is running, "
                + "submit a job, watch it and print the report.")
final class DemoCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--arch", defaultValue = "resnet20", description = "baseline architecture (default: ${DEFAULT-VALUE})")
    String arch;

    @Option(names = "--baseline-epochs", defaultValue = "2", description = "(default: ${DEFAULT-VALUE})")
    int baselineEpochs;

    @Option(names = "--train-limit", defaultValue = "10000",
            description = "training images for the baseline and the job's fine-tuning (default: ${DEFAULT-VALUE})")
    int trainLimit;

    @Option(names = "--test-limit", defaultValue = "2000", description = "(default: ${DEFAULT-VALUE})")
    int testLimit;

    @Option(names = "--target-flops", defaultValue = "0.5", description = "(default: ${DEFAULT-VALUE})")
    double targetFlops;

    @Option(names = "--candidates", defaultValue = "2", description = "(default: ${DEFAULT-VALUE})")
    int candidates;

    @Option(names = "--finetune-epochs", defaultValue = "1", description = "(default: ${DEFAULT-VALUE})")
    int finetuneEpochs;

    @Option(names = "--data", paramLabel = "DIR", description = "IDX folder (default: Fashion-MNIST)")
    Path data;

    @Mixin
    PipelineOptions pipeline;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Path workDir = pipeline.workDir();
        DemoJob demo = new DemoJob(arch, baselineEpochs, trainLimit, testLimit, targetFlops, candidates, finetuneEpochs,
                data);
        ModelPackage baseline = Baselines.cached(demo, workDir, out);
        boolean reuse = pipeline.bootstrap != null || System.getenv("KAFKA_BOOTSTRAP_SERVERS") != null
                || LocalPipeline.recordedBootstrap(workDir).isPresent();
        LocalPipeline local = reuse ? null
                : LocalPipeline.start(ServiceLauncher.projectRoot(), workDir, data, 0, out);
        try {
            String bootstrap = reuse ? pipeline.bootstrap() : local.bootstrap();
            String id = JobIds.newId();
            ArtifactRef ref = pipeline.store().putModel(id + "/submitted", baseline);
            JobSpec job = demo.spec(ref);
            PipelineClient client = new PipelineClient(bootstrap);
            client.submit(JobMessage.start(id, job));
            out.println("submitted job " + id + " (" + demo.describe() + "); events:");
            out.flush();
            JobResult result = client.watch(id, Duration.ofHours(2), e -> ResultPrinter.event(out, e));
            return ResultPrinter.result(out, result);
        } finally {
            if (local != null) {
                local.close();
            }
        }
    }
}

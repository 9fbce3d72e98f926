package io.prunestream.cli;

import io.prunestream.core.data.DataSplits;
import io.prunestream.core.data.IdxDatasetFolder;
import io.prunestream.core.model.ModelPackage;
import io.prunestream.core.model.PackageIO;
import io.prunestream.core.train.TrainingConfig;
import io.prunestream.core.zoo.ModelZoo;
import io.prunestream.pipeline.ArtifactRef;
import io.prunestream.pipeline.JobIds;
import io.prunestream.pipeline.JobMessage;
import io.prunestream.pipeline.JobResult;
import io.prunestream.pipeline.JobSpec;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
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
        ModelPackage baseline = cachedBaseline(workDir.resolve("demo").resolve(arch + "-baseline"), out);
        boolean reuse = pipeline.bootstrap != null || System.getenv("KAFKA_BOOTSTRAP_SERVERS") != null
                || LocalPipeline.recordedBootstrap(workDir).isPresent();
        LocalPipeline local = reuse ? null
                : LocalPipeline.start(ServiceLauncher.projectRoot(), workDir, data, 0, out);
        try {
            String bootstrap = reuse ? pipeline.bootstrap() : local.bootstrap();
            String id = JobIds.newId();
            ArtifactRef ref = pipeline.store().putModel(id + "/submitted", baseline);
            JobSpec job = JobSpec.builder().model(ref).targetFraction(targetFlops).criterion("l1").allocation("global")
                    .candidates(candidates).finetuneEpochs(finetuneEpochs).learningRate(0.01).trainImages(trainLimit)
                    .heldOutImages(1000).testImages(testLimit).calibrationBatches(20)
                    .datasetDir(data == null ? null : data.toAbsolutePath().toString()).build();
            PipelineClient client = new PipelineClient(bootstrap);
            client.submit(JobMessage.start(id, job));
            out.println("submitted job " + id + " (keep " + (int) (100 * targetFlops) + "% of the FLOPs of " + arch
                    + ", best of " + candidates + " candidates after adaptive BN, " + finetuneEpochs
                    + " fine-tuning epoch(s)); events:");
            out.flush();
            JobResult result = client.watch(id, Duration.ofHours(2), e -> ResultPrinter.event(out, e));
            return ResultPrinter.result(out, result);
        } finally {
            if (local != null) {
                local.close();
            }
        }
    }

    private ModelPackage cachedBaseline(Path dir, PrintWriter out) {
        if (Files.isRegularFile(dir.resolve("model.json"))) {
            out.println("using the cached baseline in " + dir);
            return PackageIO.load(dir);
        }
        ModelPackage fresh = ModelZoo.create(arch, 42);
        DataSplits splits;
        try {
            splits = DataSplits.load(data != null ? data : IdxDatasetFolder.defaultFolder(), fresh.spec().input(), 42,
                    new DataSplits.Limits(trainLimit, null, testLimit));
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
        out.println("training a " + arch + " baseline on " + splits.train().size() + " images (cached in " + dir + ")");
        ModelPackage trained = Training.run(fresh, splits, TrainingConfig.builder().epochs(baselineEpochs)
                .learningRate(0.1).seed(42).build(), out);
        PackageIO.save(trained, dir);
        return trained;
    }
}

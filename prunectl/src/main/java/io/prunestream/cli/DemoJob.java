package io.prunestream.cli;

import io.prunestream.pipeline.ArtifactRef;
import io.prunestream.pipeline.JobSpec;
import java.nio.file.Path;

/** The demo's baseline and job settings; `demo` runs them and `bench pipeline` times them. */
record DemoJob(String arch, int baselineEpochs, int trainLimit, int testLimit, double targetFlops, int candidates,
        int finetuneEpochs, Path data) {

    static final DemoJob DEFAULT = new DemoJob("resnet20", 2, 10_000, 2_000, 0.5, 2, 1, null);

    Path baselineDir(Path workDir) {
        return workDir.resolve("demo").resolve(arch + "-baseline");
    }

    JobSpec spec(ArtifactRef model) {
        return JobSpec.builder().model(model).targetFraction(targetFlops).criterion("l1").allocation("global")
                .candidates(candidates).finetuneEpochs(finetuneEpochs).learningRate(0.01).trainImages(trainLimit)
                .heldOutImages(1000).testImages(testLimit).calibrationBatches(20)
                .datasetDir(data == null ? null : data.toAbsolutePath().toString()).build();
    }

    String describe() {
        return "keep " + (int) Math.round(100 * targetFlops) + "% of the FLOPs of " + arch + ", best of " + candidates
                + " candidates after adaptive BN, " + finetuneEpochs + " fine-tuning epoch(s) on " + trainLimit
                + " images";
    }
}

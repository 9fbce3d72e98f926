package io.prunestream.pipeline.stage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prunestream.core.data.DataSplits;
import io.prunestream.core.dependency.ChannelGroup;
import io.prunestream.core.dependency.DependencyGraph;
import io.prunestream.core.model.ModelPackage;
import io.prunestream.core.testing.RequiredData;
import io.prunestream.core.train.ModelTrainer;
import io.prunestream.core.train.TrainingConfig;
import io.prunestream.core.zoo.ModelZoo;
import io.prunestream.pipeline.AcceptanceRule;
import io.prunestream.pipeline.ArtifactRef;
import io.prunestream.pipeline.DirectoryArtifactStore;
import io.prunestream.pipeline.JobResult;
import io.prunestream.pipeline.JobSpec;
import io.prunestream.core.allocation.TargetKind;
import java.io.IOException;
import java.nio.file.Path;

/** A small trained baseline on real Fashion-MNIST and job specs sized for tests (seconds, not minutes). */
final class PipelineFixture {
    static final int TRAIN = 1500;
    static final int HELD_OUT = 300;
    static final int TEST = 300;

    private PipelineFixture() {}

    /** VGG-small has BN (so adaptive BN has work to do) and trains to well above chance in seconds. */
    static ModelPackage trainedBaseline(String arch) throws IOException {
        ModelPackage fresh = ModelZoo.create(arch, 7);
        DataSplits data = DataSplits.load(RequiredData.fashionMnist(), fresh.spec().input(), 7,
                new DataSplits.Limits(TRAIN, HELD_OUT, TEST));
        TrainingConfig config = TrainingConfig.builder().epochs(2).batchSize(64).learningRate(0.05).seed(7).build();
        return new ModelTrainer(config).train(fresh, data.train()).model();
    }

    static JobSpec.Builder job(ArtifactRef model) {
        return JobSpec.builder().model(model).targetKind(TargetKind.FLOPS).targetFraction(0.5).criterion("l1")
                .allocation("uniform").candidates(1).acceptance(AcceptanceRule.bestOfN()).maxRounds(2)
                .finetuneEpochs(1).learningRate(0.01).trainImages(TRAIN).heldOutImages(HELD_OUT).testImages(TEST)
                .calibrationBatches(4).seed(7).stageTimeoutSeconds(300);
    }

    /** Every group of the delivered model keeps a multiple of {@code roundTo} channels, or all of them. */
    static void assertAligned(DirectoryArtifactStore store, ArtifactRef submitted, JobResult result, int roundTo) {
        assertEquals(JobResult.Status.SUCCEEDED, result.status(), () -> "cause: " + result.cause());
        DependencyGraph before = DependencyGraph.of(store.loadModel(submitted).graph());
        DependencyGraph after = DependencyGraph.of(store.loadModel(result.model()).graph());
        for (ChannelGroup g : before.prunableGroups()) {
            int kept = after.group(g.id()).size();
            assertTrue(kept % roundTo == 0 || kept == g.size(),
                    g.name() + " keeps " + kept + " of " + g.size() + ", not a multiple of " + roundTo);
        }
    }

    static InProcessPipeline pipeline(DirectoryArtifactStore store, Path ledger) {
        return new InProcessPipeline(store, new JobLedger(ledger), new DatasetCache(RequiredData.fashionMnist()),
                PipelineMetrics.inMemory());
    }
}

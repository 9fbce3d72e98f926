package io.prunestream.pipeline.stage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prunestream.core.data.DataSplits;
import io.prunestream.core.model.ModelPackage;
import io.prunestream.core.testing.RequiredData;
import io.prunestream.core.train.Evaluator;
import io.prunestream.pipeline.ArtifactRef;
import io.prunestream.pipeline.DirectoryArtifactStore;
import io.prunestream.pipeline.JobEvent;
import io.prunestream.pipeline.JobIds;
import io.prunestream.pipeline.JobMessage;
import io.prunestream.pipeline.JobResult;
import io.prunestream.pipeline.JobSpec;
import io.prunestream.pipeline.MethodOptions;
import io.prunestream.pipeline.RoutingSlip;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The training slips (slimming, GAL, distilled fine-tuning) through the in-process pipeline. */
class TrainingSlipsTest {
    @TempDir
    static Path dir;
    static DirectoryArtifactStore store;
    static ArtifactRef baseline;
    static ModelPackage baselineModel;

    @BeforeAll
    static void trainBaseline() throws Exception {
        store = new DirectoryArtifactStore(dir.resolve("store"));
        // A short baseline keeps the class fast; the slips only need a model better than chance.
        ModelPackage fresh = io.prunestream.core.zoo.ModelZoo.create("vgg-small", 7);
        DataSplits data = DataSplits.load(RequiredData.fashionMnist(), fresh.spec().input(), 7,
                new DataSplits.Limits(400, 200, 200));
        baselineModel = new io.prunestream.core.train.ModelTrainer(io.prunestream.core.train.TrainingConfig.builder()
                .epochs(1).batchSize(32).learningRate(0.05).seed(7).build()).train(fresh, data.train()).model();
        baseline = store.putModel("baseline", baselineModel);
    }

    private static JobSpec.Builder job() {
        return PipelineFixture.job(baseline).trainImages(400).heldOutImages(200).testImages(200).calibrationBatches(2);
    }

    private static JobResult run(JobSpec spec, String ledger, List<JobEvent> events) {
        try (InProcessPipeline pipeline = PipelineFixture.pipeline(store, dir.resolve(ledger))) {
            String id = JobIds.newId();
            JobResult result = pipeline.run(JobMessage.start(id, spec));
            assertNotNull(result, "the job must end with a result");
            assertEquals(JobResult.Status.SUCCEEDED, result.status(), () -> "cause: " + result.cause());
            events.addAll(pipeline.events(id));
            return result;
        }
    }

    private static double completedValue(List<JobEvent> events, String stage, String name) {
        return events.stream().filter(e -> e.stage().equals(stage) && e.type() == JobEvent.Type.COMPLETED
                && e.values().containsKey(name)).findFirst().orElseThrow(() -> new AssertionError(
                        "no COMPLETED event of " + stage + " with " + name + ": " + events)).values().get(name);
    }

    @Test
    void slimmingSlipShrinksBnScalesScoresTheSparseModelAndReportsAgainstTheSubmittedOne() throws Exception {
        List<JobEvent> events = new java.util.ArrayList<>();
        JobSpec spec = job().routingSlip(RoutingSlip.slimming().toString()).option(MethodOptions.SLIMMING_LAMBDA, 0.01)
                .build();
        JobResult result = run(spec, "slimming", events);
        assertTrue(completedValue(events, "finetune:sparse", "bnScaleL1After")
                < completedValue(events, "finetune:sparse", "bnScaleL1Before"));
        assertTrue(result.report().achievedFraction() <= 0.5, "" + result.report().achievedFraction());
        DataSplits data = new DatasetCache(RequiredData.fashionMnist()).forJob(spec,
                baselineModel.spec());
        assertEquals(new Evaluator().evaluate(baselineModel, data.test()).accuracy(),
                result.report().baselineAccuracy(), 1e-9, "baseline is the submitted model, not the sparse one");
        assertTrue(events.stream().anyMatch(e -> e.stage().equals("finetune:sparse")
                && e.type() == JobEvent.Type.PROGRESS && e.values().containsKey("loss")));
    }

    @Test
    void galSlipCutsZeroMaskChannelsAndReportsSparsity() {
        List<JobEvent> events = new java.util.ArrayList<>();
        JobSpec spec = job().routingSlip(RoutingSlip.gal().toString()).option(MethodOptions.GAL_LAMBDA, 4)
                .option(MethodOptions.GAL_MASK_LEARNING_RATE, 0.05).option(MethodOptions.GAL_EPOCHS, 3)
                .option(MethodOptions.GAL_STEPS, 3).option(MethodOptions.GAL_MASK_STEP, 1).build();
        JobResult result = run(spec, "gal", events);
        assertTrue(completedValue(events, "finetune:gal", "maskSparsity") > 0);
        assertTrue(result.report().flopsAfter() < result.report().flopsBefore(), result.report().toString());
        assertTrue(events.stream().anyMatch(e -> e.stage().equals("finetune:gal")
                && e.values().containsKey("maskSparsity") && e.type() == JobEvent.Type.PROGRESS));
        PipelineFixture.assertAligned(store, baseline, result, spec.roundTo());
    }

    @Test
    void galSlipWithBlockMasksRemovesResidualBlocks() {
        // An untrained ResNet-20 is enough: the slip only has to learn block masks and remove the zero ones.
        ArtifactRef resnet = store.putModel("resnet20", io.prunestream.core.zoo.ModelZoo.create("resnet20", 7));
        List<JobEvent> events = new java.util.ArrayList<>();
        JobSpec spec = PipelineFixture.job(resnet).trainImages(200).heldOutImages(100).testImages(100)
                .calibrationBatches(1).learningRate(0.002).routingSlip(RoutingSlip.gal().toString())
                .option(MethodOptions.GAL_BLOCK_MASKS, 1).option(MethodOptions.GAL_LAMBDA, 100)
                .option(MethodOptions.GAL_MASK_LEARNING_RATE, 0.01).option(MethodOptions.GAL_STEPS, 6).option(MethodOptions.GAL_MASK_STEP, 1).build();
        JobResult result = run(spec, "gal-blocks", events);
        assertTrue(completedValue(events, "finetune:gal", "maskSparsity") > 0, () -> events.stream()
                .filter(e -> e.stage().equals("finetune:gal")).map(JobEvent::message).toList().toString());
        assertTrue(events.stream().anyMatch(e -> e.stage().startsWith("prune")
                && e.message().contains("zero-mask residual blocks")), events.toString());
        assertTrue(result.report().flopsAfter() < result.report().flopsBefore(), result.report().toString());
    }

    @Test
    void distilledFineTuningRunsWhenTheJobAsksForIt() {
        List<JobEvent> events = new java.util.ArrayList<>();
        JobSpec spec = job().option(MethodOptions.DISTILLATION_WEIGHT, 0.7).option(MethodOptions.DISTILLATION_TEMPERATURE, 3)
                .build();
        JobResult result = run(spec, "distill", events);
        assertTrue(events.stream().anyMatch(e -> e.stage().equals("finetune") && e.message().contains("distilling")),
                events.toString());
        assertTrue(result.report().finalAccuracy() > 0.1);
    }
}

package io.prunestream.cli.bench;

import ai.djl.Device;
import io.prunestream.core.allocation.AllocationRequest;
import io.prunestream.core.allocation.AllocationResult;
import io.prunestream.core.allocation.Allocators;
import io.prunestream.core.allocation.GlobalAllocator;
import io.prunestream.core.allocation.TargetKind;
import io.prunestream.core.cost.CostModel;
import io.prunestream.core.cost.LatencyMeter;
import io.prunestream.core.data.DataSplits;
import io.prunestream.core.dependency.ChannelGroup;
import io.prunestream.core.dependency.ChannelSurgery;
import io.prunestream.core.dependency.DependencyGraph;
import io.prunestream.core.dependency.PruningPlan;
import io.prunestream.core.engine.EngineNumerics;
import io.prunestream.core.evaluation.AdaptiveBatchNorm;
import io.prunestream.core.importance.Criteria;
import io.prunestream.core.importance.ScoringContext;
import io.prunestream.core.model.ModelPackage;
import io.prunestream.core.train.Evaluator;
import io.prunestream.core.train.ModelTrainer;
import io.prunestream.core.train.ProgressListener;
import io.prunestream.core.train.TrainingConfig;
import io.prunestream.core.zoo.ModelZoo;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * What each engine configuration costs, measured inside one process (the configuration is fixed
 * when libtorch loads, so the command runs one process per configuration): the self-check's own
 * time, and for ResNet-20 as built (16/32/64 channels), cut to unaligned widths (70% of every group),
 * and cut to the same widths rounded up to multiples of 16, the inference latency and the
 * training throughput (SGD steps through the trainer).
 */
public final class EngineBenchmark {
    public static final String NAME = "engine";

    /** The three models, by label, built the same way in every process. */
    public static Map<String, ModelPackage> models() {
        ModelPackage full = ModelZoo.create("resnet20", 1);
        Map<String, ModelPackage> m = new LinkedHashMap<>();
        m.put("resnet20 (16/32/64)", full);
        m.put("resnet20, 70% of channels, unaligned", cut(full, 1));
        m.put("resnet20, 70% of channels, rounded to 8", cut(full, 8));
        m.put("resnet20, 70% of channels, rounded to 16", cut(full, 16));
        return m;
    }

    /** Keeps the first {@code round(0.7 n)} channels of every group, rounded up to {@code roundTo}. */
    static ModelPackage cut(ModelPackage model, int roundTo) {
        DependencyGraph graph = DependencyGraph.of(model.graph());
        Map<Integer, int[]> kept = new HashMap<>();
        for (ChannelGroup g : graph.prunableGroups()) {
            int keep = (int) Math.round(0.7 * g.size());
            keep = Math.min(g.size(), (keep + roundTo - 1) / roundTo * roundTo);
            if (keep < g.size()) {
                kept.put(g.id(), IntStream.range(0, keep).toArray());
            }
        }
        return ChannelSurgery.apply(model, graph, new PruningPlan(kept));
    }

    /**
     * One model's figures in one configuration.
     *
     * @param model label
     * @param macs multiply-accumulates per image
     * @param batch1Ms median inference latency at batch 1
     * @param batch256Ms median inference latency at batch 256
     * @param trainImagesPerSecond training images per second at batch 128 ({@link TrainingThroughput})
     */
    public record ModelFigures(String model, long macs, double batch1Ms, double batch256Ms,
            double trainImagesPerSecond) {}

    /**
     * One configuration's figures.
     *
     * @param configuration what the process ran with
     * @param verdict the self-check's verdict line
     * @param selfCheckMs how long the self-check took, engine load excluded
     * @param models per model
     */
    public record ConfigurationFigures(String configuration, String verdict, long selfCheckMs,
            List<ModelFigures> models) {}

    /** Measures this process's configuration. */
    public static ConfigurationFigures measure(String configuration, int rounds, int trainBatches) {
        EngineNumerics.Status status = EngineNumerics.status();
        long checkMs = (status.direct() == null ? 0 : status.direct().millis())
                + (status.aligned() == null ? 0 : status.aligned().millis());
        Map<String, ModelPackage> models = models();
        // The models are timed together, in interleaved rounds, so that machine noise hits them alike.
        Map<String, List<LatencyMeter.Latency>> latency =
                new LatencyMeter(3, rounds, Device.cpu()).measureTogether(models, List.of(1, 256));
        List<ModelFigures> figures = new ArrayList<>();
        for (Map.Entry<String, ModelPackage> e : models.entrySet()) {
            List<LatencyMeter.Latency> l = latency.get(e.getKey());
            figures.add(new ModelFigures(e.getKey(), CostModel.of(e.getValue().spec()).macs(), l.get(0).medianMs(),
                    l.get(1).medianMs(), new TrainingThroughput(e.getValue(), trainBatches).imagesPerSecond()));
        }
        return new ConfigurationFigures(configuration, status.describe(), checkMs, figures);
    }

    /**
     * A trained model pruned to {@code targetFlops} by L1 + global allocation at one round-to, after
     * adaptive BN (no fine-tuning, so the widths alone make the difference).
     *
     * @param roundTo kept channels per group rounded up to a multiple of this
     * @param flopsFraction FLOPs kept
     * @param accuracy test accuracy
     * @param batch256Ms median inference latency at batch 256
     */
    public record RoundToFigures(int roundTo, double flopsFraction, double accuracy, double finetunedAccuracy,
            double batch256Ms) {}

    public static List<RoundToFigures> roundToStudy(ModelPackage model, DataSplits splits, double targetFlops,
            List<Integer> roundTos, int rounds, int finetuneEpochs) {
        DependencyGraph graph = DependencyGraph.of(model.graph());
        Map<Integer, float[]> scores = Criteria.byName("l1")
                .scorePrunableGroups(ScoringContext.builder(model).graph(graph).build());
        long macs = CostModel.of(model.spec()).macs();
        Map<String, ModelPackage> cuts = new LinkedHashMap<>();
        Map<String, double[]> accuracy = new HashMap<>();
        for (int r : roundTos) {
            AllocationResult allocated = Allocators.byName(GlobalAllocator.NAME).allocate(
                    AllocationRequest.builder(model, scores).graph(graph).target(TargetKind.FLOPS, targetFlops)
                            .roundTo(r).build());
            ModelPackage pruned = new AdaptiveBatchNorm(50, AdaptiveBatchNorm.DEFAULT_BATCH_SIZE)
                    .recalibrate(ChannelSurgery.apply(model, graph, allocated.plan()), splits.train(), 1);
            double before = new Evaluator().evaluate(pruned, splits.test()).accuracy();
            double after = Double.NaN;
            if (finetuneEpochs > 0) {
                ModelPackage tuned = new ModelTrainer(TrainingConfig.builder().epochs(finetuneEpochs).seed(1).build(),
                        ProgressListener.NONE, Device.cpu()).train(pruned, splits.train()).model();
                after = new Evaluator().evaluate(tuned, splits.test()).accuracy();
            }
            cuts.put(Integer.toString(r), pruned);
            accuracy.put(Integer.toString(r), new double[] {before, after});
        }
        Map<String, List<LatencyMeter.Latency>> latency =
                new LatencyMeter(3, rounds, Device.cpu()).measureTogether(cuts, List.of(256));
        List<RoundToFigures> rows = new ArrayList<>();
        for (int r : roundTos) {
            String key = Integer.toString(r);
            rows.add(new RoundToFigures(r, (double) CostModel.of(cuts.get(key).spec()).macs() / macs,
                    accuracy.get(key)[0], accuracy.get(key)[1], latency.get(key).get(0).medianMs()));
        }
        return rows;
    }

    private EngineBenchmark() {}
}

package io.prunestream.cli.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.prunestream.core.allocation.AllocationRequest;
import io.prunestream.core.allocation.AllocationResult;
import io.prunestream.core.allocation.Allocators;
import io.prunestream.core.allocation.TargetKind;
import io.prunestream.core.cost.CostModel;
import io.prunestream.core.data.DataSplits;
import io.prunestream.core.dependency.ChannelSurgery;
import io.prunestream.core.dependency.DependencyGraph;
import io.prunestream.core.evaluation.AdaptiveBatchNorm;
import io.prunestream.core.importance.Criteria;
import io.prunestream.core.importance.ScoringContext;
import io.prunestream.core.model.ModelPackage;
import io.prunestream.core.train.Evaluator;
import io.prunestream.core.train.ModelTrainer;
import io.prunestream.core.train.ProgressListener;
import io.prunestream.core.train.TrainingConfig;
import io.prunestream.core.train.TrainingResult;
import io.prunestream.core.zoo.ModelZoo;
import java.io.PrintWriter;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The foundation's numbers: ResNet-20 training throughput against the engine's own sgemm ceiling
 * measured in the same run, test accuracy after a stated schedule, surgery time on ResNet-56, and L1
 * versus FPGM at 50% FLOPs with and without a short fine-tune.
 */
public final class FoundationBenchmark {
    private static final String UNPRUNED = "unpruned";

    private final int epochs;
    private final int finetuneEpochs;
    private final DataSplits data;
    private final PrintWriter log;
    private final ProgressListener progress;

    public FoundationBenchmark(int epochs, int finetuneEpochs, DataSplits data, PrintWriter log, ProgressListener progress) {
        this.epochs = epochs;
        this.finetuneEpochs = finetuneEpochs;
        this.data = data;
        this.log = log;
        this.progress = progress;
    }

    public String run(String command) {
        StringBuilder md = new StringBuilder(BenchmarkDoc.header("Foundation", command));
        double sgemm = sgemmGflops();
        log.printf("sgemm: %.1f GFLOP/s%n", sgemm);

        ModelPackage fresh = ModelZoo.create("resnet20", 42);
        TrainingConfig config = TrainingConfig.builder().epochs(epochs).batchSize(128).learningRate(0.1)
                .weightDecay(5e-4).seed(42).build();
        TrainingResult trained = new ModelTrainer(config, progress).train(fresh, data.train());
        double imagesPerSecond = trained.history().stream().mapToDouble(e -> e.imagesPerSecond()).average().orElse(0);
        // Training costs about three forward passes (forward, input gradients, weight gradients); 2 FLOPs per MAC.
        double trainGflops = imagesPerSecond * CostModel.of(fresh.spec()).macs() * 2 * 3 / 1e9;
        Evaluator evaluator = new Evaluator();
        double accuracy = evaluator.evaluate(trained.model(), data.test()).accuracy();
        log.printf("resnet20: %.2f%% test accuracy after %d epochs, %.0f images/s%n", 100 * accuracy, epochs, imagesPerSecond);

        md.append("\n### ResNet-20 on Fashion-MNIST\n\n")
                .append("| epochs (SGD momentum 0.9, lr 0.1 cosine, wd 5e-4, batch 128) | train images | test accuracy | "
                        + "training images/s | training GFLOP/s | sgemm GFLOP/s (same run) | share of ceiling |\n")
                .append("|---|---|---|---|---|---|---|\n")
                .append(String.format("| %d | %d | %.2f%% | %.0f | %.1f | %.1f | %.0f%% |%n", epochs, data.train().size(),
                        100 * accuracy, imagesPerSecond, trainGflops, sgemm, 100 * trainGflops / sgemm));

        double surgeryMs = surgeryMillis();
        md.append(String.format("%n### Surgery%n%nResNet-56, uniform L1 plan at 50%% FLOPs: median %.1f ms per "
                + "surgery (20 runs, weights sliced into a new package).%n", surgeryMs));

        Map<String, Pruned> pruned = new LinkedHashMap<>();
        for (String criterion : List.of("l1", "fpgm")) {
            pruned.put(criterion, prune(criterion, trained.model(), evaluator));
        }
        Map<String, ModelPackage> finals = new LinkedHashMap<>();
        finals.put(UNPRUNED, trained.model());
        pruned.forEach((criterion, p) -> finals.put(criterion, p.tuned()));
        SectionLatencies latency = SectionLatencies.measure(finals);

        md.append("\n### L1 and FPGM at 50% FLOPs (ResNet-20 above, global allocation)\n\n")
                .append(latency.describe()).append(" Unpruned: ").append(latency.cell(UNPRUNED, 1)).append(" at batch 1, ")
                .append(latency.cell(UNPRUNED, 256)).append(" at batch 256; ratios are to these medians.\n\n")
                .append("| criterion | achieved FLOPs | params | test acc. before | after cut + adaptive BN | after ")
                .append(finetuneEpochs).append(" fine-tune epoch(s) | latency b1 (ratio) | latency b256 (ratio) | FLOPs ratio |\n")
                .append("|---|---|---|---|---|---|---|---|---|\n");
        pruned.forEach((criterion, p) -> md.append(String.format("| %s | %.1f%% | %.1f%% | %.2f%% | %.2f%% | %.2f%% | %s | %s "
                + "| %.3f |%n", criterion, 100 * p.allocation().achievedFlopsFraction(),
                100 * p.allocation().achievedParamsFraction(), 100 * accuracy, 100 * p.afterCut(), 100 * p.afterTune(),
                latency.cellWithRatio(criterion, UNPRUNED, 1), latency.cellWithRatio(criterion, UNPRUNED, 256),
                p.allocation().achievedFlopsFraction())));
        return md.toString();
    }

    /** One criterion's cut of the trained model, and its accuracy after the cut and after fine-tuning. */
    private record Pruned(AllocationResult allocation, double afterCut, double afterTune, ModelPackage tuned) {}

    private Pruned prune(String criterion, ModelPackage model, Evaluator evaluator) {
        DependencyGraph graph = DependencyGraph.of(model.graph());
        AllocationResult allocation = Allocators.byName("global").allocate(AllocationRequest.builder(model,
                Criteria.byName(criterion).scorePrunableGroups(ScoringContext.builder(model).graph(graph).build()))
                .graph(graph).target(TargetKind.FLOPS, 0.5).build());
        ModelPackage cut = new AdaptiveBatchNorm().recalibrate(ChannelSurgery.apply(model, graph, allocation.plan()),
                data.train(), 42);
        double afterCut = evaluator.evaluate(cut, data.test()).accuracy();
        ModelPackage tuned = new ModelTrainer(TrainingConfig.builder().epochs(finetuneEpochs).learningRate(0.01).seed(42)
                .build(), progress).train(cut, data.train()).model();
        double afterTune = evaluator.evaluate(tuned, data.test()).accuracy();
        log.printf("%s: %.2f%% after cut, %.2f%% after fine-tune%n", criterion, 100 * afterCut, 100 * afterTune);
        return new Pruned(allocation, afterCut, afterTune, tuned);
    }

    /** The engine's matrix-multiply throughput: the ceiling convolution training is compared against. */
    static double sgemmGflops() {
        int n = 1024;
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray a = m.randomNormal(new Shape(n, n));
            NDArray b = m.randomNormal(new Shape(n, n));
            double[] secs = new double[7];
            for (int i = 0; i < secs.length + 2; i++) {
                long t = System.nanoTime();
                try (NDArray c = a.matMul(b)) {
                    c.getFloat(0, 0);
                }
                if (i >= 2) {
                    secs[i - 2] = (System.nanoTime() - t) / 1e9;
                }
            }
            Arrays.sort(secs);
            return 2.0 * n * n * n / secs[secs.length / 2] / 1e9;
        }
    }

    static double surgeryMillis() {
        ModelPackage model = ModelZoo.create("resnet56", 1);
        DependencyGraph graph = DependencyGraph.of(model.graph());
        AllocationResult plan = Allocators.byName("uniform").allocate(AllocationRequest.builder(model,
                Criteria.byName("l1").scorePrunableGroups(ScoringContext.builder(model).graph(graph).build()))
                .graph(graph).target(TargetKind.FLOPS, 0.5).build());
        double[] ms = new double[20];
        for (int i = 0; i < 25; i++) {
            long t = System.nanoTime();
            ChannelSurgery.apply(model, graph, plan.plan());
            if (i >= 5) {
                ms[i - 5] = (System.nanoTime() - t) / 1e6;
            }
        }
        Arrays.sort(ms);
        return ms[ms.length / 2];
    }
}

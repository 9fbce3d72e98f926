package io.prunestream.cli.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.prunestream.core.allocation.AllocationRequest;
import io.prunestream.core.allocation.AllocationResult;
import io.prunestream.core.allocation.Allocators;
import io.prunestream.core.allocation.TargetKind;
import io.prunestream.core.cost.CostModel;
import io.prunestream.core.cost.LatencyMeter;
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
import java.util.List;

/**
 * The foundation's numbers: ResNet-20 training throughput against the engine's own sgemm ceiling
 * measured in the same run, test accuracy after a stated schedule, surgery time on ResNet-56, and L1
 * versus FPGM at 50% FLOPs with and without a short fine-tune.
 */
public final class FoundationBenchmark {
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
        StringBuilder md = new StringBuilder(BenchmarkDoc.header("Foundation (issue 2)", command));
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

        md.append("\n### L1 and FPGM at 50% FLOPs (ResNet-20 above, global allocation)\n\n")
                .append("| criterion | achieved FLOPs | params | test acc. before | after cut + adaptive BN | after ")
                .append(finetuneEpochs).append(" fine-tune epoch(s) | latency b1 ratio | latency b256 ratio | FLOPs ratio |\n")
                .append("|---|---|---|---|---|---|---|---|---|\n");
        LatencyMeter meter = new LatencyMeter();
        List<LatencyMeter.Latency> base = meter.measureDefaults(trained.model());
        for (String criterion : List.of("l1", "fpgm")) {
            md.append(pruneRow(criterion, trained.model(), accuracy, evaluator, meter, base));
        }
        return md.toString();
    }

    private String pruneRow(String criterion, ModelPackage model, double before, Evaluator evaluator, LatencyMeter meter,
            List<LatencyMeter.Latency> base) {
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
        List<LatencyMeter.Latency> lat = meter.measureDefaults(tuned);
        log.printf("%s: %.2f%% after cut, %.2f%% after fine-tune%n", criterion, 100 * afterCut, 100 * afterTune);
        return String.format("| %s | %.1f%% | %.1f%% | %.2f%% | %.2f%% | %.2f%% | %.3f | %.3f | %.3f |%n", criterion,
                100 * allocation.achievedFlopsFraction(), 100 * allocation.achievedParamsFraction(), 100 * before,
                100 * afterCut, 100 * afterTune, lat.get(0).medianMs() / base.get(0).medianMs(),
                lat.get(1).medianMs() / base.get(1).medianMs(), allocation.achievedFlopsFraction());
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

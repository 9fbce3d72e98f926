package io.prunestream.cli;

import io.prunestream.core.allocation.AllocationRequest;
import io.prunestream.core.allocation.AllocationResult;
import io.prunestream.core.allocation.Allocators;
import io.prunestream.core.allocation.TargetKind;
import io.prunestream.core.cost.CostModel;
import io.prunestream.core.cost.CostReport;
import io.prunestream.core.cost.LatencyMeter;
import io.prunestream.core.data.DataSplits;
import io.prunestream.core.dependency.ChannelSurgery;
import io.prunestream.core.dependency.DependencyGraph;
import io.prunestream.core.evaluation.AdaptiveBatchNorm;
import io.prunestream.core.importance.Criteria;
import io.prunestream.core.importance.ImportanceCriterion;
import io.prunestream.core.importance.ScoringContext;
import io.prunestream.core.model.ModelPackage;
import io.prunestream.core.model.Op;
import io.prunestream.core.model.PackageIO;
import io.prunestream.core.train.Evaluator;
import io.prunestream.core.train.ModelTrainer;
import io.prunestream.core.train.TrainingConfig;
import io.prunestream.core.train.TrainingDivergedException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "prune", mixinStandardHelpOptions = true,
        description = "Score channels, allocate a budget, cut, recalibrate BN, optionally fine-tune: in one process, "
                + "no Kafka. Prints a before/after table.")
final class PruneCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "PKG", description = "package folder or zip, a TensorFlow SavedModel folder, or zoo:<arch>")
    String model;

    @Option(names = "--criterion", defaultValue = "l1", completionCandidates = CriterionNames.class,
            description = "importance criterion: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE})")
    String criterion;

    @Option(names = "--allocation", defaultValue = "uniform", completionCandidates = AllocatorNames.class,
            description = "ratio allocation: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE})")
    String allocation;

    @ArgGroup(multiplicity = "1")
    Target target;

    static final class Target {
        @Option(names = "--target-flops", paramLabel = "FRACTION", description = "fraction of FLOPs (MACs) to keep, e.g. 0.5")
        Double flops;

        @Option(names = "--target-params", paramLabel = "FRACTION", description = "fraction of parameters to keep")
        Double params;
    }

    @Option(names = "--score-samples", defaultValue = "256",
            description = "training images a data-driven criterion reads (default: ${DEFAULT-VALUE})")
    int scoreSamples;

    @Option(names = "--min-channels", defaultValue = "1", description = "fewest channels any group keeps (default: ${DEFAULT-VALUE})")
    int minChannels;

    @Option(names = "--round-to", paramLabel = "N", defaultValue = JobOptions.ROUND_TO_DEFAULT,
            description = JobOptions.ROUND_TO_HELP + " (default: ${DEFAULT-VALUE})")
    int roundTo;

    @Option(names = "--adaptive-bn-batches", defaultValue = "50",
            description = "training batches to recalibrate BN statistics after the cut; 0 to skip (default: ${DEFAULT-VALUE})")
    int adaptiveBnBatches;

    @Option(names = "--finetune-epochs", defaultValue = "0", description = "fine-tuning epochs after the cut (default: ${DEFAULT-VALUE})")
    int finetuneEpochs;

    @Option(names = "--lr", defaultValue = "0.01", description = "fine-tuning learning rate (default: ${DEFAULT-VALUE})")
    double learningRate;

    @Option(names = "--no-data", description = "prune without data: no accuracy, no BN recalibration, no fine-tuning")
    boolean noData;

    @Option(names = "--no-latency", description = "skip latency measurement")
    boolean noLatency;

    @Mixin
    DataOptions data;

    @Option(names = "--out", required = true, paramLabel = "PKG", description = "package folder to write")
    Path out;

    @Override
    public Integer call() {
        PrintWriter w = spec.commandLine().getOut();
        ModelPackage original = ModelSource.load(model);
        ImportanceCriterion crit = Criteria.byName(criterion);
        DataSplits splits = noData ? null : data.load(original.spec());

        DependencyGraph graph = DependencyGraph.of(original.graph());
        ScoringContext.Builder scoring = ScoringContext.builder(original).graph(graph).seed(data.seed);
        if (crit.needsData()) {
            if (splits == null) {
                throw new IllegalArgumentException("criterion '" + crit.name() + "' reads data: drop --no-data");
            }
            scoring.calibration(splits.train().sample(scoreSamples, data.seed), 64);
        }
        ScoringContext context = scoring.build();
        TargetKind kind = target.flops != null ? TargetKind.FLOPS : TargetKind.PARAMS;
        double fraction = target.flops != null ? target.flops : target.params;
        AllocationResult allocated = Allocators.byName(allocation).allocate(
                AllocationRequest.builder(original, crit.scorePrunableGroups(context)).graph(graph)
                        .target(kind, fraction).minChannels(minChannels).roundTo(roundTo).build());
        w.println(crit.name() + " + " + allocation + " (round-to " + roundTo + "): " + allocated.summary());
        ModelPackage pruned = ChannelSurgery.apply(original, graph, allocated.plan(), minChannels);

        boolean hasBn = pruned.spec().nodes().stream().anyMatch(n -> n.op() == Op.BATCHNORM);
        if (splits != null && hasBn && adaptiveBnBatches > 0) {
            pruned = new AdaptiveBatchNorm(adaptiveBnBatches, AdaptiveBatchNorm.DEFAULT_BATCH_SIZE)
                    .recalibrate(pruned, splits.train(), data.seed);
        }
        Map<String, Object> provenance = new LinkedHashMap<>();
        provenance.put("source", original.spec().name());
        provenance.put("criterion", crit.name());
        provenance.put("allocation", allocation);
        provenance.put("target", kind.label() + " " + fraction);
        provenance.put("roundTo", roundTo);
        provenance.put("achievedFlopsFraction", allocated.achievedFlopsFraction());
        provenance.put("achievedParamsFraction", allocated.achievedParamsFraction());
        if (splits != null && finetuneEpochs > 0) {
            try {
                pruned = finetune(pruned, splits, w);
            } catch (TrainingDivergedException e) {
                return keepTheCut(pruned, provenance, e);
            }
        }
        provenance.put("finetuneEpochs", finetuneEpochs);
        pruned = pruned.withInfo(Map.of("pruning", provenance));
        PackageIO.save(pruned, out);
        printComparison(w, original, pruned, splits);
        w.println("wrote " + out);
        return 0;
    }

    /**
     * Fine-tuning diverged: writes the cut model as it was before fine-tuning, says where and why on
     * stderr, and fails the command. The cut cost a scoring pass and a search; keeping it leaves only
     * the fine-tuning to redo.
     */
    private int keepTheCut(ModelPackage cut, Map<String, Object> provenance, TrainingDivergedException e) {
        provenance.put("finetuneEpochs", 0);
        provenance.put("finetuneDiverged", e.getMessage());
        PackageIO.save(cut.withInfo(Map.of("pruning", provenance)), out);
        PrintWriter err = spec.commandLine().getErr();
        err.println(spec.commandLine().getColorScheme().errorText("error: fine-tuning failed: " + e.getMessage()));
        err.println("wrote the cut model, before fine-tuning, to " + out + "; to fine-tune it, try an --lr smaller than "
                + learningRate);
        return 1;
    }

    private ModelPackage finetune(ModelPackage cut, DataSplits splits, PrintWriter w) {
        TrainingConfig config = TrainingConfig.builder().epochs(finetuneEpochs).learningRate(learningRate)
                .seed(data.seed).build();
        try (ProgressBars bars = new ProgressBars("finetune", w)) {
            return new ModelTrainer(config, bars).train(cut, splits.train()).model();
        }
    }

    private void printComparison(PrintWriter w, ModelPackage before, ModelPackage after, DataSplits splits) {
        CostReport cb = CostModel.of(before.spec());
        CostReport ca = CostModel.of(after.spec());
        Table t = new Table("", "before", "after", "after/before");
        if (splits != null) {
            Evaluator evaluator = new Evaluator();
            double accB = evaluator.evaluate(before, splits.test()).accuracy();
            double accA = evaluator.evaluate(after, splits.test()).accuracy();
            t.row("test accuracy (" + splits.test().size() + " images)", pct(accB), pct(accA),
                    String.format("%+.2f pts", 100 * (accA - accB)));
        }
        t.row("FLOPs (MACs/image)", Table.count(cb.macs()), Table.count(ca.macs()), ratio(ca.macs(), cb.macs()));
        t.row("parameters", Table.count(cb.params()), Table.count(ca.params()), ratio(ca.params(), cb.params()));
        String measuredHow = null;
        if (!noLatency) {
            LatencyMeter meter = new LatencyMeter();
            // Measured together, so a busy moment of the machine slows both rather than skewing the ratio.
            Map<String, List<LatencyMeter.Latency>> latency =
                    meter.measureTogether(Map.of("before", before, "after", after));
            List<LatencyMeter.Latency> lb = latency.get("before");
            List<LatencyMeter.Latency> la = latency.get("after");
            for (int i = 0; i < lb.size(); i++) {
                t.row("latency batch " + lb.get(i).batchSize() + " (" + lb.get(i).device() + ")", lb.get(i).display(),
                        la.get(i).display(), String.format("%.3f", la.get(i).medianMs() / lb.get(i).medianMs()));
            }
            measuredHow = "latency: " + meter.describe(LatencyMeter.DEFAULT_BATCH_SIZES);
        }
        w.println();
        t.print(w);
        if (measuredHow != null) {
            w.println(measuredHow);
        }
    }

    private static String pct(double v) {
        return String.format("%.2f%%", 100 * v);
    }

    private static String ratio(long a, long b) {
        return String.format("%.3f", (double) a / b);
    }

    static final class CriterionNames implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return Criteria.names().iterator();
        }
    }

    static final class AllocatorNames implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return Allocators.names().iterator();
        }
    }
}

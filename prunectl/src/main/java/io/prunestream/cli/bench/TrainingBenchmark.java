package io.prunestream.cli.bench;

import io.prunestream.cli.Charts;
import io.prunestream.core.allocation.AllocationRequest;
import io.prunestream.core.allocation.AllocationResult;
import io.prunestream.core.allocation.ChannelRounding;
import io.prunestream.core.allocation.Allocators;
import io.prunestream.core.allocation.RatioAllocator;
import io.prunestream.core.allocation.TargetKind;
import io.prunestream.core.cost.CostModel;
import io.prunestream.core.data.DataSplits;
import io.prunestream.core.dependency.ChannelSurgery;
import io.prunestream.core.dependency.DependencyGraph;
import io.prunestream.core.evaluation.AdaptiveBatchNorm;
import io.prunestream.core.gal.GalConfig;
import io.prunestream.core.gal.GalEpoch;
import io.prunestream.core.gal.GalResult;
import io.prunestream.core.gal.GalTrainer;
import io.prunestream.core.gal.MaskPlan;
import io.prunestream.core.importance.Criteria;
import io.prunestream.core.importance.ScoringContext;
import io.prunestream.core.model.ModelPackage;
import io.prunestream.core.train.BnScaleSparsity;
import io.prunestream.core.train.EpochStats;
import io.prunestream.core.train.Evaluator;
import io.prunestream.core.train.ModelTrainer;
import io.prunestream.core.train.ProgressListener;
import io.prunestream.core.train.TrainingConfig;
import io.prunestream.core.train.TrainingResult;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Locale;
import io.prunestream.core.model.Op;
import io.prunestream.core.model.NodeSpec;
import io.prunestream.core.dependency.ChannelGroup;
import io.prunestream.core.allocation.GlobalAllocator;

/**
 * Training-based pruning at about half the FLOPs of a trained model (the lead's ResNet-20): network
 * slimming, GAL, plain L1 and EagleEye (when that allocator exists), each with the same total number
 * of training epochs. Slimming and GAL spend half of them before the cut (sparse or adversarial
 * training) and the rest fine-tuning; L1 and EagleEye fine-tune for all of them. GAL's size follows
 * from its lambda, not from the target, so the benchmark runs GAL's phase once per lambda it is given,
 * reports every one, and fine-tunes the one whose cut lands nearest the target.
 */
public final class TrainingBenchmark {
    public static final String NAME = "training";
    static final double TARGET = 0.5;
    /** The latency table's reference: the model every method starts from. */
    private static final String UNPRUNED = "unpruned";

    private final int epochs;
    private final DataSplits data;
    private final PrintWriter log;
    private final ProgressListener progress;
    private final OptionalInt maxBatchesPerEpoch;
    private final Path chartDir;
    private final Map<String, double[]> lossCurves = new LinkedHashMap<>();
    private final List<Double> galLambdas;
    private final List<GalTry> galTries = new ArrayList<>();
    private double slimmingLambda = DEFAULT_SLIMMING_LAMBDA;
    /** Runs per method, on seeds 42, 43, ...; the tables show mean and spread over them. */
    private int seedCount = 1;
    /** The seed of the run in progress (shuffles, initial draws, calibration batches). */
    private long seed = 42;
    /** GAL's lambda, chosen on the first seed's sweep and reused on the others. */
    private Double chosenGalLambda;
    /** What slimming's sparsity phase did, for its own table; null until slimming has run. */
    private SlimmingTrace slimmingTrace;

    /**
     * The paper's 1e-4 over its 160 epochs moves a scale by about lambda × steps × rate; this benchmark's
     * sparsity phase is two orders of magnitude shorter, so lambda is scaled up to move scales as far.
     */
    public static final double DEFAULT_SLIMMING_LAMBDA = 1e-2;
    /** Upper edges of the |γ| histogram's bins; the last bin is open. */
    static final double[] GAMMA_BINS = {0.01, 0.05, 0.1, 0.2, 0.5};

    /** |γ| histograms before and after the sparsity phase, and the threshold cut's keep share per group. */
    private record SlimmingTrace(int[] before, int[] after, Map<String, String> keptPerGroup) {}

    /**
     * @param epochs total training epochs each method gets (at least 2)
     * @param maxBatchesPerEpoch caps every epoch, for smoke runs
     * @param chartDir where the PNG charts go (beside the document)
     * @param galLambdas the GAL sparsity weights to try (each costs one GAL phase)
     */
    public TrainingBenchmark(int epochs, DataSplits data, PrintWriter log, ProgressListener progress,
            OptionalInt maxBatchesPerEpoch, Path chartDir, List<Double> galLambdas) {
        if (epochs < 2) {
            throw new IllegalArgumentException("the training benchmark needs at least 2 epochs per method, got " + epochs);
        }
        if (galLambdas.isEmpty()) {
            throw new IllegalArgumentException("the training benchmark needs at least one GAL lambda");
        }
        // GalConfig refuses a bad lambda: better now than after the other methods have trained.
        galLambdas.forEach(l -> new GalConfig(l, GalConfig.DEFAULT_ADVERSARIAL_WEIGHT,
                GalConfig.DEFAULT_MASK_LEARNING_RATE, GalConfig.DEFAULT_DISCRIMINATOR_LEARNING_RATE));
        this.galLambdas = List.copyOf(galLambdas);
        this.epochs = epochs;
        this.data = data;
        this.log = log;
        this.progress = progress;
        this.maxBatchesPerEpoch = maxBatchesPerEpoch;
        this.chartDir = chartDir;
    }

    /** Every method runs on {@code n} seeds (42, 43, ...); at least 1. */
    public TrainingBenchmark seeds(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("the training benchmark needs at least one seed, got " + n);
        }
        this.seedCount = n;
        return this;
    }

    /** L1 weight on BN scales in slimming's sparsity phase. */
    public TrainingBenchmark slimmingLambda(double lambda) {
        new BnScaleSparsity(lambda); // refuses a bad value now rather than after the other methods have run
        this.slimmingLambda = lambda;
        return this;
    }

    /** One method's result; {@code pruned} is null when the method was skipped. */
    private record Row(String method, double flops, double params, double accuracy, ModelPackage pruned, double seconds,
            String note) {}

    /** One GAL phase at one lambda, cut where the masks reached zero. */
    private record GalTry(double lambda, ModelPackage cut, double flops, double params, double sparsity,
            double cutAccuracy, double recalibratedAccuracy, double seconds) {}

    public String run(ModelPackage model, String command) {
        StringBuilder md = new StringBuilder(BenchmarkDoc.header("Training methods", command));
        Evaluator evaluator = new Evaluator();
        double before = evaluator.evaluate(model, data.test()).accuracy();
        Map<String, List<Row>> runs = new LinkedHashMap<>();
        for (int k = 0; k < seedCount; k++) {
            seed = 42 + k;
            log.printf("seed %d (%d of %d)%n", seed, k + 1, seedCount);
            List<Row> seedRows = new ArrayList<>();
            seedRows.add(timed("l1 (global)", model, () -> allocateAndTune("l1", Allocators.byName("global"), model,
                    epochs, "l1")));
            seedRows.add(eagleEye(model));
            seedRows.add(timed("slimming (bn-scale, threshold)", model, () -> slimming(model)));
            seedRows.add(gal(model));
            seedRows.forEach(r -> runs.computeIfAbsent(r.method(), m -> new ArrayList<>()).add(r));
        }
        // Latency and the charts come from the first seed's models; accuracy from every seed.
        List<Row> rows = runs.values().stream().map(r -> r.get(0)).toList();
        Map<String, ModelPackage> finals = new LinkedHashMap<>();
        finals.put(UNPRUNED, model);
        rows.stream().filter(r -> r.pruned() != null).forEach(r -> finals.put(r.method(), r.pruned()));
        SectionLatencies latency = SectionLatencies.measure(finals);

        int steps = config(epochs, 0.01).batchesPerEpoch(data.train().size()) * epochs;
        md.append(String.format("%nModel `%s`: test accuracy %.2f%%, %d MACs, %d params, latency %s at batch 1 and %s "
                + "at batch 256. Every method gets the same training budget: %d epoch(s), %d optimiser steps of batch "
                + "128 on the same training images in all (SGD momentum 0.9, cosine, wd 5e-4), spent before and after "
                + "its cut as the method prescribes; target %.0f%% of the FLOPs. Each method runs on %d seed(s) (42 "
                + "upwards: shuffles, calibration batches, random draws); accuracy is the mean ± the sample standard "
                + "deviation over them, FLOPs, parameters and latency are the first seed's. %s%n%n", model.spec().name(),
                100 * before, CostModel.of(model.spec()).macs(), CostModel.of(model.spec()).params(),
                latency.cell(UNPRUNED, 1), latency.cell(UNPRUNED, 256), epochs, steps, 100 * TARGET, seedCount,
                latency.describe()));
        md.append("| method | FLOPs | params | test accuracy | per seed | latency b1 | latency b256 | wall time per seed (s) "
                + "| note |\n").append("|---|---|---|---|---|---|---|---|---|\n");
        for (Row r : rows) {
            if (r.pruned() == null) {
                md.append(String.format("| %s | – | – | – | – | – | – | – | %s |%n", r.method(), r.note()));
                continue;
            }
            double[] accuracies = runs.get(r.method()).stream().mapToDouble(Row::accuracy).toArray();
            String perSeed = java.util.Arrays.stream(accuracies).mapToObj(a -> String.format(Locale.ROOT, "%.2f",
                    100 * a)).collect(java.util.stream.Collectors.joining(", "));
            double meanSeconds = runs.get(r.method()).stream().mapToDouble(Row::seconds).average().orElse(Double.NaN);
            md.append(String.format(Locale.ROOT, "| %s | %.1f%% | %.1f%% | %s | %s | %s | %s | %.0f | %s |%n",
                    r.method(), 100 * r.flops(), 100 * r.params(), BenchmarkDoc.meanAndSpread(accuracies), perSeed,
                    latency.cell(r.method(), 1), latency.cell(r.method(), 256), meanSeconds, r.note()));
        }
        Path loss = chartDir.resolve("bench-training-loss.png");
        Path sparsity = chartDir.resolve("bench-training-gal-sparsity.png");
        Charts.lines("Training loss per optimiser step (all phases; GAL's first phase is its whole objective: "
                + "distance to the teacher + adversarial term + lambda |m|_1)", "step", "batch loss (log scale)",
                lossCurves, true, loss);
        double[] lambdas = galTries.stream().mapToDouble(GalTry::lambda).toArray();
        Map<String, double[][]> byLambda = new LinkedHashMap<>();
        byLambda.put("fraction of masks at zero", new double[][] {lambdas,
                galTries.stream().mapToDouble(GalTry::sparsity).toArray()});
        byLambda.put("FLOPs of the cut (fraction of the original)", new double[][] {lambdas,
                galTries.stream().mapToDouble(GalTry::flops).toArray()});
        Charts.scatter("GAL after one adversarial phase of " + epochs / 2 + " epoch(s): mask sparsity and size by lambda",
                "lambda", "fraction", byLambda, sparsity);
        md.append(String.format("%n### GAL: one adversarial phase per lambda (%d epoch(s), mask step %.3g)%n%n"
                + "The cut keeps every channel whose mask is above zero. Its accuracy is shown as the adversarial phase "
                + "left it (BN running statistics from training) and after adaptive BN, both before any fine-tuning. "
                + "The lambda whose cut lands nearest %.0f%% of the FLOPs is the one fine-tuned above.%n%n"
                + "| lambda | masks at zero | FLOPs | params | accuracy of the cut | after adaptive BN | GAL phase (s) |%n"
                + "|---|---|---|---|---|---|---|%n", epochs / 2, GalConfig.DEFAULT_MASK_LEARNING_RATE, 100 * TARGET));
        for (GalTry t : galTries) {
            md.append(String.format("| %s | %.1f%% | %.1f%% | %.1f%% | %.2f%% | %.2f%% | %.0f |%n", t.lambda(),
                    100 * t.sparsity(), 100 * t.flops(), 100 * t.params(), 100 * t.cutAccuracy(),
                    100 * t.recalibratedAccuracy(), t.seconds()));
        }
        md.append(slimmingTable());
        md.append(String.format("%n![loss curves](%s)%n%n![GAL mask sparsity](%s)%n", loss.getFileName(),
                sparsity.getFileName()));
        return md.toString();
    }

    private interface Method {
        ModelPackage run();
    }

    private Row timed(String name, ModelPackage model, Method method) {
        long start = System.nanoTime();
        ModelPackage pruned = method.run();
        double seconds = (System.nanoTime() - start) / 1e9;
        double accuracy = new Evaluator().evaluate(pruned, data.test()).accuracy();
        log.printf("%s: %.2f%% test accuracy, %.0f s%n", name, 100 * accuracy, seconds);
        return new Row(name, fraction(pruned, model, true), fraction(pruned, model, false), accuracy, pruned, seconds,
                "");
    }

    private static double fraction(ModelPackage pruned, ModelPackage model, boolean flops) {
        return flops ? (double) CostModel.of(pruned.spec()).macs() / CostModel.of(model.spec()).macs()
                : (double) CostModel.of(pruned.spec()).params() / CostModel.of(model.spec()).params();
    }

    private Row eagleEye(ModelPackage model) {
        RatioAllocator eagleeye;
        try {
            eagleeye = Allocators.byName("eagleeye");
        } catch (IllegalArgumentException e) {
            return new Row("eagleeye", Double.NaN, Double.NaN, Double.NaN, null, Double.NaN,
                    "skipped: no allocator 'eagleeye' in this build (" + e.getMessage() + ")");
        }
        return timed("eagleeye (l1 scores)", model, () -> allocateAndTune("l1", eagleeye, model, epochs, "eagleeye"));
    }

    /** Scores with {@code criterion}, cuts to the target, recalibrates BN and fine-tunes for {@code tuneEpochs}. */
    private ModelPackage allocateAndTune(String criterion, RatioAllocator allocator, ModelPackage model, int tuneEpochs,
            String curve) {
        DependencyGraph graph = DependencyGraph.of(model.graph());
        AllocationResult allocation = allocator.allocate(AllocationRequest.builder(model,
                Criteria.byName(criterion).scorePrunableGroups(ScoringContext.builder(model).graph(graph).build()))
                .graph(graph).target(TargetKind.FLOPS, TARGET).build());
        return recalibrateAndTune(ChannelSurgery.apply(model, graph, allocation.plan()), tuneEpochs, curve);
    }

    private ModelPackage recalibrateAndTune(ModelPackage cut, int tuneEpochs, String curve) {
        ModelPackage calibrated = new AdaptiveBatchNorm().recalibrate(cut, data.train(), seed);
        StepLosses steps = new StepLosses(progress);
        TrainingResult tuned = new ModelTrainer(config(tuneEpochs, 0.01), steps).train(calibrated, data.train());
        appendLoss(curve, steps.values());
        return tuned.model();
    }

    private ModelPackage slimming(ModelPackage model) {
        int sparseEpochs = epochs / 2;
        StepLosses steps = new StepLosses(progress);
        TrainingResult sparse = new ModelTrainer(config(sparseEpochs, 0.01), steps)
                .withPenalty(new BnScaleSparsity(slimmingLambda)).train(model, data.train());
        appendLoss("slimming", steps.values());
        DependencyGraph graph = DependencyGraph.of(sparse.model().graph());
        AllocationResult allocation = GlobalAllocator.threshold().allocate(AllocationRequest.builder(sparse.model(),
                Criteria.byName("bn-scale").scorePrunableGroups(ScoringContext.builder(sparse.model()).graph(graph)
                        .build())).graph(graph).target(TargetKind.FLOPS, TARGET).build());
        Map<String, String> kept = new LinkedHashMap<>();
        for (ChannelGroup g : graph.prunableGroups()) {
            int[] k = allocation.plan().kept().get(g.id());
            kept.put(g.name(), (k == null ? g.size() : k.length) + "/" + g.size());
        }
        if (slimmingTrace == null) {
            slimmingTrace = new SlimmingTrace(gammaHistogram(model), gammaHistogram(sparse.model()), kept);
        }
        return recalibrateAndTune(ChannelSurgery.apply(sparse.model(), graph, allocation.plan()), epochs - sparseEpochs,
                "slimming");
    }

    /** Counts of |γ| over every BN of the model, in {@link #GAMMA_BINS}. */
    static int[] gammaHistogram(ModelPackage model) {
        int[] counts = new int[GAMMA_BINS.length + 1];
        for (NodeSpec n : model.spec().nodes()) {
            if (n.op() != Op.BATCHNORM) {
                continue;
            }
            for (float g : model.weight(n.id() + ".gamma").data()) {
                int bin = 0;
                while (bin < GAMMA_BINS.length && Math.abs(g) >= GAMMA_BINS[bin]) {
                    bin++;
                }
                counts[bin]++;
            }
        }
        return counts;
    }

    private String slimmingTable() {
        if (slimmingTrace == null) {
            return "";
        }
        StringBuilder md = new StringBuilder(String.format(Locale.ROOT, "%n### Network slimming: what the sparsity "
                + "phase did (lambda %s, %d epoch(s))%n%nBN scales |γ| of every channel, before and after the sparsity "
                + "phase, then cut by one global threshold on |γ| (allocation `threshold`).%n%n| |γ| |", slimmingLambda,
                epochs / 2));
        StringBuilder rule = new StringBuilder("|---|");
        double lower = 0;
        for (int b = 0; b <= GAMMA_BINS.length; b++) {
            md.append(b < GAMMA_BINS.length ? String.format(Locale.ROOT, " [%s, %s) |", lower, GAMMA_BINS[b])
                    : String.format(Locale.ROOT, " ≥ %s |", lower));
            rule.append("---|");
            lower = b < GAMMA_BINS.length ? GAMMA_BINS[b] : lower;
        }
        md.append('\n').append(rule).append('\n');
        md.append("| before |");
        for (int c : slimmingTrace.before()) {
            md.append(' ').append(c).append(" |");
        }
        md.append("\n| after |");
        for (int c : slimmingTrace.after()) {
            md.append(' ').append(c).append(" |");
        }
        md.append("\n\nChannels kept per group by the threshold: ");
        md.append(slimmingTrace.keptPerGroup().entrySet().stream().map(e -> "`" + e.getKey() + "` " + e.getValue())
                .collect(java.util.stream.Collectors.joining(", ")));
        return md.append(".\n").toString();
    }

    /** Runs GAL's phase at every lambda, then fine-tunes the cut nearest the target for the remaining epochs. */
    private Row gal(ModelPackage model) {
        int galEpochs = epochs / 2;
        GalTry nearest = null;
        double[] nearestLoss = new double[0];
        // The sweep runs on the first seed; later seeds rerun only the lambda it chose.
        List<Double> lambdas = chosenGalLambda == null ? galLambdas : List.of(chosenGalLambda);
        boolean sweeping = chosenGalLambda == null;
        for (double lambda : lambdas) {
            long start = System.nanoTime();
            List<GalEpoch> seen = new ArrayList<>();
            GalConfig config = new GalConfig(lambda, GalConfig.DEFAULT_ADVERSARIAL_WEIGHT,
                    GalConfig.DEFAULT_MASK_LEARNING_RATE, GalConfig.DEFAULT_DISCRIMINATOR_LEARNING_RATE);
            StepLosses steps = new StepLosses(progress);
            GalResult result = new GalTrainer(config(galEpochs, 0.01), config, steps, seen::add,
                    ai.djl.engine.Engine.getInstance().defaultDevice()).train(model, data.train());
            ModelPackage cut = MaskPlan.prune(result.student(), result.masks(), 1,
                    ChannelRounding.DEFAULT_ROUND_TO);
            double seconds = (System.nanoTime() - start) / 1e9;
            double sparsity = seen.isEmpty() ? 0 : seen.get(seen.size() - 1).maskSparsity();
            GalTry attempt = new GalTry(lambda, cut, fraction(cut, model, true), fraction(cut, model, false), sparsity,
                    new Evaluator().evaluate(cut, data.test()).accuracy(), new Evaluator().evaluate(
                            new AdaptiveBatchNorm().recalibrate(cut, data.train(), seed), data.test()).accuracy(), seconds);
            log.printf("gal lambda %s: %.1f%% of masks at zero, %.1f%% FLOPs, cut accuracy %.2f%% (%.2f%% after "
                    + "adaptive BN), %.0f s%n", lambda, 100 * sparsity, 100 * attempt.flops(), 100 * attempt.cutAccuracy(),
                    100 * attempt.recalibratedAccuracy(), seconds);
            if (sweeping) {
                galTries.add(attempt);
            }
            if (nearest == null || Math.abs(attempt.flops() - TARGET) < Math.abs(nearest.flops() - TARGET)) {
                nearest = attempt;
                nearestLoss = steps.values();
            }
        }
        GalTry chosen = nearest;
        chosenGalLambda = chosen.lambda();
        appendLoss("gal", nearestLoss);
        Row tuned = timed("gal (lambda " + chosen.lambda() + ")", model,
                () -> recalibrateAndTune(chosen.cut(), epochs - galEpochs, "gal"));
        return new Row(tuned.method(), tuned.flops(), tuned.params(), tuned.accuracy(), tuned.pruned(),
                tuned.seconds() + chosen.seconds(), galLambdas.size() > 1
                        ? "lambda nearest the target of " + galLambdas.size() + " tried on the first seed (table below); "
                        + "the other tries' adversarial steps are not counted in the budget" : "");
    }

    private TrainingConfig config(int epochCount, double learningRate) {
        return TrainingConfig.builder().epochs(epochCount).learningRate(learningRate).seed(seed)
                .maxBatchesPerEpoch(maxBatchesPerEpoch).build();
    }

    /** Passes progress on and keeps every step's batch loss, for the loss chart. */
    private static final class StepLosses implements ProgressListener {
        private final ProgressListener next;
        private final List<Double> losses = new ArrayList<>();

        StepLosses(ProgressListener next) {
            this.next = next;
        }

        @Override
        public void onBatch(int epoch, int batch, int batches, double loss, double accuracy) {
            losses.add(loss);
            next.onBatch(epoch, batch, batches, loss, accuracy);
        }

        @Override
        public void onEpoch(EpochStats stats) {
            next.onEpoch(stats);
        }

        double[] values() {
            return losses.stream().mapToDouble(Double::doubleValue).toArray();
        }
    }

    private void appendLoss(String curve, double[] more) {
        if (seed != 42) {
            return; // one seed's curves are enough to read, and several would overlap
        }
        double[] old = lossCurves.getOrDefault(curve, new double[0]);
        double[] joined = java.util.Arrays.copyOf(old, old.length + more.length);
        System.arraycopy(more, 0, joined, old.length, more.length);
        lossCurves.put(curve, joined);
    }
}

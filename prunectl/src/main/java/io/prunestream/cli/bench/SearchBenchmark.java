package io.prunestream.cli.bench;

import io.prunestream.cli.Charts;
import io.prunestream.core.allocation.AllocationRequest;
import io.prunestream.core.allocation.AllocationResult;
import io.prunestream.core.allocation.Allocators;
import io.prunestream.core.allocation.TargetKind;
import io.prunestream.core.data.DataSplits;
import io.prunestream.core.dependency.ChannelSurgery;
import io.prunestream.core.dependency.DependencyGraph;
import io.prunestream.core.evaluation.AdaptiveBatchNorm;
import io.prunestream.core.importance.L1Criterion;
import io.prunestream.core.importance.ScoringContext;
import io.prunestream.core.model.ModelPackage;
import io.prunestream.core.search.AofpSearch;
import io.prunestream.core.search.DsaTrainer;
import io.prunestream.core.search.EagleEyeAllocator;
import io.prunestream.core.search.RatioProjection;
import io.prunestream.core.train.Evaluator;
import io.prunestream.core.train.ModelTrainer;
import io.prunestream.core.train.TrainingConfig;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The search strategies' numbers on a trained model at a FLOPs target (50% by default):
 * <ol>
 *   <li>for N random EagleEye candidates, each fine-tuned with the same short budget: Pearson,
 *       Spearman and Kendall correlation of the fine-tuned held-out accuracy with the accuracy before
 *       fine-tuning, without recalibration and after adaptive BN (EMA), with scatter plots;</li>
 *   <li>adaptive-BN throughput (candidates per minute) and the Spearman correlation for each
 *       recalibration batch count, so the fewest batches that keep the correlation can be read off;</li>
 *   <li>uniform, global, EagleEye (best of the N by adaptive BN), AOFP and DSA side by side with the
 *       same fine-tuning: test accuracy, FLOPs, params, latency and search time.</li>
 * </ol>
 */
public final class SearchBenchmark {
    /** Sizes of one run; the defaults are the full benchmark, tests pass tiny ones. */
    /** @param finetuneSeeds fine-tuning runs per strategy in the comparison (seed, seed + 1, ...) */
    public record Settings(int candidates, double target, int finetuneEpochs, int maxFinetuneBatches,
            List<Integer> calibrationBatches, int dsaSteps, long seed, int finetuneSeeds) {
        public Settings {
            if (finetuneSeeds < 1) {
                throw new IllegalArgumentException("the search benchmark needs at least one fine-tuning seed, got "
                        + finetuneSeeds);
            }
        }
    }

    /** The latency table's reference row; no strategy is called this. */
    private static final String UNPRUNED = "unpruned";

    private final ModelPackage model;
    private final DataSplits data;
    private final Settings settings;
    private final Path docs;
    private final PrintWriter log;
    private final Evaluator evaluator = new Evaluator();

    public SearchBenchmark(ModelPackage model, DataSplits data, Settings settings, Path docs, PrintWriter log) {
        this.model = model;
        this.data = data;
        this.settings = settings;
        this.docs = docs;
        this.log = log;
    }

    public String run(String command) {
        StringBuilder md = new StringBuilder(BenchmarkDoc.header("Search strategies: " + model.spec().name(), command));
        DependencyGraph graph = DependencyGraph.of(model.graph());
        Map<Integer, float[]> scores = new L1Criterion().scorePrunableGroups(ScoringContext.builder(model).graph(graph)
                .build());
        int maxBatches = settings.calibrationBatches().stream().mapToInt(Integer::intValue).max().orElse(50);
        int n = settings.candidates();
        double[] plain = new double[n];
        double[] tuned = new double[n];
        Map<Integer, double[]> recalibrated = new LinkedHashMap<>();
        Map<Integer, Double> abnSeconds = new LinkedHashMap<>();
        settings.calibrationBatches().forEach(b -> {
            recalibrated.put(b, new double[n]);
            abnSeconds.put(b, 0.0);
        });
        ModelPackage bestByAbn = null;
        double bestAbn = -1;
        // The search's own cost is drawing, cutting and judging at the largest batch count; the other batch
        // counts and the per-candidate fine-tuning belong to the correlation study, not to the search.
        double drawSeconds = 0;
        for (int i = 0; i < n; i++) {
            long drawStart = System.nanoTime();
            AllocationResult r = new EagleEyeAllocator().allocate(request(graph, scores).seed(settings.seed() + i).build());
            ModelPackage cut = ChannelSurgery.apply(model, graph, r.plan());
            drawSeconds += (System.nanoTime() - drawStart) / 1e9;
            plain[i] = evaluator.evaluate(cut, data.heldOut()).accuracy();
            ModelPackage atMax = null;
            for (int batches : settings.calibrationBatches()) {
                long t = System.nanoTime();
                ModelPackage abn = new AdaptiveBatchNorm(batches, AdaptiveBatchNorm.DEFAULT_BATCH_SIZE)
                        .recalibrate(cut, data.train(), settings.seed());
                recalibrated.get(batches)[i] = evaluator.evaluate(abn, data.heldOut()).accuracy();
                // A candidate is judged once it is recalibrated and scored on the held-out split.
                abnSeconds.merge(batches, (System.nanoTime() - t) / 1e9, Double::sum);
                if (batches == maxBatches) {
                    atMax = abn;
                }
            }
            if (recalibrated.get(maxBatches)[i] > bestAbn) {
                bestAbn = recalibrated.get(maxBatches)[i];
                bestByAbn = atMax;
            }
            tuned[i] = evaluator.evaluate(finetune(atMax), data.heldOut()).accuracy();
            log.printf(Locale.ROOT, "candidate %d/%d: FLOPs %.3f, plain %.4f, adaptive BN %.4f, fine-tuned %.4f%n", i + 1,
                    n, r.achievedFlopsFraction(), plain[i], recalibrated.get(maxBatches)[i], tuned[i]);
        }
        double eagleSearchSeconds = drawSeconds + abnSeconds.get(maxBatches);
        md.append(correlationSection(plain, recalibrated, abnSeconds, tuned, maxBatches));
        md.append(comparison(graph, scores, bestByAbn, eagleSearchSeconds, maxBatches));
        return md.toString();
    }

    /** How far below the most-batches correlation a batch count may fall and still "keep" it. */
    static final double KEEP_TOLERANCE = 0.05;

    private AllocationRequest.Builder request(DependencyGraph graph, Map<Integer, float[]> scores) {
        return AllocationRequest.builder(model, scores).graph(graph).target(TargetKind.FLOPS, settings.target());
    }

    private ModelPackage finetune(ModelPackage candidate) {
        return finetune(candidate, settings.seed());
    }

    private ModelPackage finetune(ModelPackage candidate, long seed) {
        TrainingConfig config = TrainingConfig.builder().epochs(Math.max(1, settings.finetuneEpochs())).learningRate(0.01)
                .seed(seed).maxBatchesPerEpoch(settings.maxFinetuneBatches()).build();
        return new ModelTrainer(config).train(candidate, data.train()).model();
    }

    private String correlationSection(double[] plain, Map<Integer, double[]> recalibrated, Map<Integer, Double> seconds,
            double[] tuned, int maxBatches) {
        StringBuilder md = new StringBuilder(String.format(Locale.ROOT, "%n### Does accuracy before fine-tuning predict "
                + "accuracy after it? (%d EagleEye candidates at %.0f%% FLOPs)%n%n", plain.length,
                100 * settings.target()));
        md.append("Each candidate fine-tuned the same way (").append(settings.finetuneEpochs())
                .append(" epoch(s), at most ").append(settings.maxFinetuneBatches()).append(" batches each); held-out "
                + "accuracy throughout.\n\n| before fine-tuning | Pearson | Spearman | Kendall |\n|---|---|---|---|\n");
        md.append(row("no recalibration", Correlations.of(plain, tuned)));
        md.append(row("adaptive BN, " + maxBatches + " batches", Correlations.of(recalibrated.get(maxBatches), tuned)));
        md.append("\n| recalibration batches | candidates per minute | Spearman with fine-tuned |\n|---|---|---|\n");
        recalibrated.forEach((batches, acc) -> md.append(String.format(Locale.ROOT, "| %d | %.1f | %s |%n", batches,
                60 * plain.length / seconds.get(batches), fmt(Correlations.of(acc, tuned).spearman()))));
        double reference = Correlations.of(recalibrated.get(maxBatches), tuned).spearman();
        recalibrated.entrySet().stream()
                .filter(e -> Correlations.of(e.getValue(), tuned).spearman() >= reference - KEEP_TOLERANCE)
                .mapToInt(Map.Entry::getKey).min().ifPresent(fewest -> md.append(String.format(Locale.ROOT,
                        "%nFewest recalibration batches whose Spearman is within %.2f of the %d-batch value: **%d**.%n"
                        + "Candidates per minute counts recalibration plus scoring on the %d held-out images.%n",
                        KEEP_TOLERANCE, maxBatches, fewest, data.heldOut().size())));
        Map<String, double[][]> series = new LinkedHashMap<>();
        series.put("no recalibration", new double[][] {plain, tuned});
        series.put("adaptive BN (" + maxBatches + " batches)", new double[][] {recalibrated.get(maxBatches), tuned});
        String chart = "bench-search-" + model.spec().name() + ".png";
        Path png = docs.resolve(chart);
        Charts.scatter("EagleEye candidates: accuracy before vs after fine-tuning", "held-out accuracy before fine-tuning",
                "held-out accuracy after fine-tuning", series, png);
        md.append("\n![accuracy before vs after fine-tuning](").append(chart).append(")\n");
        return md.toString();
    }

    private String comparison(DependencyGraph graph, Map<Integer, float[]> scores, ModelPackage eagleBest,
            double eagleSeconds, int maxBatches) {
        StringBuilder md = new StringBuilder(String.format(Locale.ROOT, "%n### Strategies side by side at %.0f%% FLOPs "
                + "(same fine-tuning)%n%nSearch (s) is the strategy's own cost before fine-tuning: for EagleEye, drawing, "
                + "cutting and judging every candidate at %d batches of adaptive BN; for AOFP and DSA, their search or "
                + "training; for uniform and global, allocation and adaptive BN.%n", 100 * settings.target(), maxBatches));
        Map<String, Object[]> rows = new LinkedHashMap<>();
        for (String name : List.of("uniform", "global")) {
            long t = System.nanoTime();
            AllocationResult r = Allocators.byName(name).allocate(request(graph, scores).build());
            ModelPackage cut = new AdaptiveBatchNorm().recalibrate(ChannelSurgery.apply(model, graph, r.plan()),
                    data.train(), settings.seed());
            rows.put(name, new Object[] {cut, r, (System.nanoTime() - t) / 1e9});
        }
        rows.put("eagleeye (best of " + settings.candidates() + ")", new Object[] {eagleBest, null, eagleSeconds});
        long t = System.nanoTime();
        AofpSearch.Result aofp = AofpSearch.run(request(graph, scores).build(), data.train().sample(128, settings.seed()),
                64, 0.3, 30);
        log.printf(Locale.ROOT, "aofp: %d round trips, damage threshold %.3f at the end, searched plan at %.1f%%%s%n",
                aofp.roundTrips(), aofp.threshold(), 100 * aofp.searchedFraction(),
                aofp.fallback() ? ", over budget: finished by the global allocator" : "");
        rows.put(aofp.fallback() ? "aofp (global fallback: not AOFP's own plan)" : String.format(Locale.ROOT,
                "aofp (own plan, threshold %.2f)", aofp.threshold()), new Object[] {new AdaptiveBatchNorm().recalibrate(
                ChannelSurgery.apply(model, graph, aofp.allocation().plan()), data.train(), settings.seed()),
                aofp.allocation(), (System.nanoTime() - t) / 1e9});
        t = System.nanoTime();
        DsaTrainer.Result dsa = new DsaTrainer(new DsaTrainer.Settings(settings.dsaSteps(), 5, 0.05, 0.05, 64,
                settings.seed()), DsaTrainer.Progress.NONE).train(request(graph, scores).build(), data.train());
        AllocationResult dsaPlan = RatioProjection.project("dsa", request(graph, scores).build(), dsa.keepRatios())
                .allocation();
        rows.put("dsa", new Object[] {new AdaptiveBatchNorm().recalibrate(ChannelSurgery.apply(model, graph,
                dsaPlan.plan()), data.train(), settings.seed()), dsaPlan, (System.nanoTime() - t) / 1e9});
        log.println("dsa learned keep ratios: " + dsa.describeRatios());
        long originalMacs = io.prunestream.core.cost.CostModel.of(model.spec()).macs();
        long originalParams = io.prunestream.core.cost.CostModel.of(model.spec()).params();
        Map<String, ModelPackage> finals = new LinkedHashMap<>();
        finals.put(UNPRUNED, model);
        Map<String, double[]> accuracy = new LinkedHashMap<>();
        rows.forEach((name, row) -> {
            double[] perSeed = new double[settings.finetuneSeeds()];
            for (int k = 0; k < perSeed.length; k++) {
                ModelPackage tuned = finetune((ModelPackage) row[0], settings.seed() + k);
                if (k == 0) {
                    finals.put(name, tuned);
                }
                perSeed[k] = evaluator.evaluate(tuned, data.test()).accuracy();
            }
            accuracy.put(name, perSeed);
            log.printf(Locale.ROOT, "%s: test accuracy %s%n", name, BenchmarkDoc.meanAndSpread(perSeed));
        });
        SectionLatencies latency = SectionLatencies.measure(finals);
        md.append("\n").append(latency.describe()).append(String.format(Locale.ROOT, " The unpruned model: %s at batch 1, "
                + "%s at batch 256. Every strategy's cut gets the same fine-tuning (%d epoch(s) of at most %d batches), "
                + "run on %d seed(s) (shuffle order); test accuracy is the mean ± the sample standard deviation over "
                + "them, the searches themselves ran once. Latency is of the first seed's model.%n%n"
                + "| strategy | test acc. | per seed | FLOPs | params | latency b1 | latency b256 | search (s) |%n"
                + "|---|---|---|---|---|---|---|---|%n", latency.cell(UNPRUNED, 1), latency.cell(UNPRUNED, 256),
                Math.max(1, settings.finetuneEpochs()), settings.maxFinetuneBatches(), settings.finetuneSeeds()));
        rows.forEach((name, row) -> {
            var cost = io.prunestream.core.cost.CostModel.of(finals.get(name).spec());
            String perSeed = java.util.Arrays.stream(accuracy.get(name)).mapToObj(a -> String.format(Locale.ROOT, "%.2f",
                    100 * a)).collect(java.util.stream.Collectors.joining(", "));
            md.append(String.format(Locale.ROOT, "| %s | %s | %s | %.1f%% | %.1f%% | %s | %s | %.1f |%n", name,
                    BenchmarkDoc.meanAndSpread(accuracy.get(name)), perSeed, 100.0 * cost.macs() / originalMacs,
                    100.0 * cost.params() / originalParams,
                    latency.cell(name, 1), latency.cell(name, 256), (double) row[2]));
        });
        md.append(String.format(Locale.ROOT, "%nDSA's learned keep ratios (%d steps; estimated cost %.3f before the "
                + "projection onto the budget, multiplier μ %.3g at the end): %s.%n", settings.dsaSteps(),
                dsa.estimatedFraction(), dsa.multiplier(), dsa.describeRatios()));
        return md.toString();
    }

    private static String row(String label, Correlations c) {
        return "| " + label + " | " + fmt(c.pearson()) + " | " + fmt(c.spearman()) + " | " + fmt(c.kendall()) + " |\n";
    }

    private static String fmt(double v) {
        return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.3f", v);
    }
}

package io.prunestream.core.grading;

import io.prunestream.core.data.ImageDataset;
import io.prunestream.core.dependency.ChannelGroup;
import io.prunestream.core.dependency.DependencyGraph;
import io.prunestream.core.importance.CalibrationData;
import io.prunestream.core.importance.ImportanceCriterion;
import io.prunestream.core.importance.OracleCriterion;
import io.prunestream.core.importance.ScoringContext;
import io.prunestream.core.model.ModelPackage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Grades importance criteria against the oracle ({@link OracleCriterion}): every criterion and the
 * oracle score every prunable group of the model on the same data sample, and the report gives, per
 * criterion, Spearman's correlation with the oracle per group and over all channels (raw, and with
 * each group's scores divided by the group's largest absolute score), plus the time the criterion
 * took. A criterion that cannot score the model (BN scale on a model without BN) is reported with its
 * reason instead of stopping the grading.
 */
public final class CriterionGrader {
    private final int batchSize;
    private final OracleCriterion oracle;
    private final Consumer<String> progress;

    public CriterionGrader() {
        this(CalibrationData.DEFAULT_BATCH_SIZE, new OracleCriterion(), line -> { });
    }

    /** {@code progress} hears one line as each criterion starts (a CLI prints them). */
    public CriterionGrader(int batchSize, OracleCriterion oracle, Consumer<String> progress) {
        this.batchSize = batchSize;
        this.oracle = oracle;
        this.progress = progress;
    }

    public GradingReport grade(ModelPackage model, ImageDataset sample, List<ImportanceCriterion> criteria,
            long seed) {
        DependencyGraph graph = DependencyGraph.of(model.graph());
        ScoringContext context = ScoringContext.builder(model).graph(graph).seed(seed)
                .calibration(sample, batchSize).build();
        List<ChannelGroup> groups = graph.prunableGroups();
        progress.accept("oracle: removing each of " + groups.stream().mapToInt(ChannelGroup::size).sum()
                + " channels on " + sample.size() + " images");
        long start = System.nanoTime();
        Map<Integer, double[]> truth = oracle.lossIncreases(context);
        double oracleSeconds = seconds(start);
        List<GradingReport.CriterionGrade> grades = new ArrayList<>();
        for (ImportanceCriterion c : criteria) {
            progress.accept(c.name());
            grades.add(grade(c, context, groups, truth));
        }
        long negative = truth.values().stream().flatMapToDouble(java.util.Arrays::stream).filter(v -> v < 0).count();
        int channels = groups.stream().mapToInt(ChannelGroup::size).sum();
        return new GradingReport(model.spec().name(), model.spec().architecture(), sample.size(), groups.size(),
                channels, oracleSeconds, channels > 0 ? (double) negative / channels : 0, grades);
    }

    private static GradingReport.CriterionGrade grade(ImportanceCriterion criterion, ScoringContext context,
            List<ChannelGroup> groups, Map<Integer, double[]> truth) {
        long start = System.nanoTime();
        Map<Integer, float[]> scores;
        try {
            scores = criterion.scorePrunableGroups(context);
        } catch (RuntimeException e) {
            return GradingReport.CriterionGrade.failed(criterion.name(), criterion.needsData(), seconds(start),
                    e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName());
        }
        double seconds = seconds(start);
        List<GradingReport.GroupGrade> perGroup = new ArrayList<>();
        List<Double> all = new ArrayList<>();
        List<Double> allNormalised = new ArrayList<>();
        List<Double> allTruth = new ArrayList<>();
        double definedSum = 0;
        int defined = 0;
        for (ChannelGroup g : groups) {
            float[] s = scores.get(g.id());
            double[] t = truth.get(g.id());
            double rho = SpearmanCorrelation.of(s, t);
            perGroup.add(new GradingReport.GroupGrade(g.id(), g.name(), g.size(), orNull(rho)));
            if (!Double.isNaN(rho)) {
                definedSum += rho;
                defined++;
            }
            double scale = 0;
            for (float v : s) {
                scale = Math.max(scale, Math.abs(v));
            }
            for (int c = 0; c < s.length; c++) {
                all.add((double) s[c]);
                allNormalised.add(scale > 0 ? s[c] / scale : 0);
                allTruth.add(t[c]);
            }
        }
        double[] truthAll = unbox(allTruth);
        return new GradingReport.CriterionGrade(criterion.name(), criterion.needsData(), seconds,
                orNull(SpearmanCorrelation.of(unbox(all), truthAll)),
                orNull(SpearmanCorrelation.of(unbox(allNormalised), truthAll)),
                defined > 0 ? definedSum / defined : null, perGroup, null);
    }

    private static Double orNull(double v) {
        return Double.isNaN(v) ? null : v;
    }

    private static double[] unbox(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).toArray();
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }
}

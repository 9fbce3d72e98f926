package io.prunestream.cli;

import io.prunestream.core.data.ImageDataset;
import io.prunestream.core.grading.CriterionGrader;
import io.prunestream.core.grading.GradingReport;
import io.prunestream.core.grading.GradingReportWriter;
import io.prunestream.core.data.RandomImages;
import io.prunestream.core.importance.Criteria;
import io.prunestream.core.importance.ImportanceCriterion;
import io.prunestream.core.importance.OracleCriterion;
import io.prunestream.core.model.InputSpec;
import io.prunestream.core.model.ModelPackage;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "score", mixinStandardHelpOptions = true,
        description = "Grade importance criteria against the oracle (the exact loss change when each channel alone is "
                + "removed) on a sample of training images: Spearman correlations per channel group and over all "
                + "channels, and scoring times. Writes grading.md, grading.json and grading.png to the report folder.")
final class ScoreCommand implements Callable<Integer> {
    static final String CHART = "grading.png";

    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "PKG", description = "package folder or zip, or zoo:<arch>")
    String model;

    @Option(names = "--criteria", defaultValue = "all", split = ",", paramLabel = "NAME[,NAME...]",
            description = "criteria to grade, or 'all' for every registered one but the oracle (default: ${DEFAULT-VALUE})")
    List<String> criteria;

    @Option(names = "--samples", defaultValue = "128", paramLabel = "N",
            description = "training images the criteria score on (default: ${DEFAULT-VALUE})")
    int samples;

    @Option(names = "--oracle-samples", defaultValue = "1024", paramLabel = "N",
            description = "other training images the oracle measures each channel's loss change on; its grades "
                    + "mean little below about 1000 (default: ${DEFAULT-VALUE})")
    int oracleSamples;

    @Option(names = "--batch-size", defaultValue = "64", paramLabel = "B",
            description = "images per forward pass while scoring (default: ${DEFAULT-VALUE})")
    int batchSize;

    @Option(names = "--random-data", description = "grade on random normal images with random labels instead of the "
            + "dataset (a plumbing check: rankings on noise say little about real data)")
    boolean randomData;

    @Option(names = "--report", required = true, paramLabel = "DIR", description = "folder for the report files")
    Path report;

    @Mixin
    DataOptions data;

    @Override
    public Integer call() {
        PrintWriter w = spec.commandLine().getOut();
        if (samples < 1 || oracleSamples < 1) {
            throw new IllegalArgumentException("--samples and --oracle-samples must be at least 1, got " + samples
                    + " and " + oracleSamples);
        }
        ModelPackage pkg = ModelSource.load(model);
        List<ImportanceCriterion> graded = resolve(criteria);
        List<ImageDataset> samples = samples(pkg);
        w.printf("grading %d criteria on %s: the oracle on %d %s images, the criteria on %d others%n", graded.size(),
                pkg.spec().name(), samples.get(0).size(), randomData ? "random" : "training", samples.get(1).size());
        GradingReport result = new CriterionGrader(batchSize, new OracleCriterion(), line -> {
            w.println("  " + line);
            w.flush();
        }).grade(pkg, samples.get(0), samples.get(1), graded, data.seed);
        GradingReportWriter.write(result, report);
        Charts.correlations(result, report.resolve(CHART));
        w.println();
        table(result).print(w);
        w.printf(Locale.ROOT, "%noracle: %.2f s for %d channels in %d groups; removing %.1f%% of them lowers the loss%n",
                result.oracleSeconds(), result.channels(), result.prunableGroups(), 100 * result.oracleNegativeShare());
        w.println("wrote " + report.resolve(GradingReportWriter.MARKDOWN) + ", " + GradingReportWriter.JSON + ", "
                + CHART);
        return 0;
    }

    private static List<ImportanceCriterion> resolve(List<String> names) {
        List<String> chosen = names.size() == 1 && names.get(0).trim().equalsIgnoreCase("all")
                ? Criteria.names().stream().filter(n -> !n.equals(OracleCriterion.NAME)).toList()
                : names;
        List<ImportanceCriterion> out = new ArrayList<>();
        chosen.forEach(n -> out.add(Criteria.byName(n)));
        return out;
    }

    /** The oracle's images and the criteria's, disjoint. */
    private List<ImageDataset> samples(ModelPackage pkg) {
        InputSpec input = pkg.spec().input();
        ImageDataset pool = randomData
                ? RandomImages.gaussian(input, pkg.spec().classes(), oracleSamples + samples, data.seed)
                : data.load(pkg.spec()).train();
        return CriterionGrader.disjointSamples(pool, oracleSamples, samples, data.seed);
    }

    private static Table table(GradingReport r) {
        Table t = new Table("criterion", "data", "per layer (signed)", "per layer (magnitude)", "all (raw)",
                "all (normalised)", "time (s)");
        for (GradingReport.CriterionGrade g : r.criteria()) {
            String time = String.format(Locale.ROOT, "%.2f", g.seconds());
            if (g.error() != null) {
                t.row(g.criterion(), g.needsData() ? "yes" : "no", "n/a", "n/a", "n/a", "n/a", time);
            } else {
                t.row(g.criterion(), g.needsData() ? "yes" : "no", GradingReportWriter.withInterval(g.perLayer()),
                        GradingReportWriter.withInterval(g.perLayerAbsolute()), GradingReportWriter.number(g.overallRaw()),
                        GradingReportWriter.number(g.overallNormalised()), time);
            }
        }
        return t;
    }
}

package io.prunestream.core.grading;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** Writes a grading report as {@code grading.md} (for people) and {@code grading.json} (for tools). */
public final class GradingReportWriter {
    public static final String MARKDOWN = "grading.md";
    public static final String JSON = "grading.json";

    private GradingReportWriter() {}

    public static void write(GradingReport report, Path folder) {
        try {
            Files.createDirectories(folder);
            Files.writeString(folder.resolve(MARKDOWN), markdown(report));
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                    .writeValue(folder.resolve(JSON).toFile(), report);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the grading report to " + folder + ": " + e.getMessage(), e);
        }
    }

    public static String markdown(GradingReport r) {
        StringBuilder md = new StringBuilder();
        md.append("# Importance criteria graded against the oracle\n\n");
        md.append(describe(r)).append("\n\n");
        md.append(summaryTable(r));
        md.append("\n## Per group (against the signed oracle)\n\n| group | channels | layers |");
        r.criteria().forEach(g -> md.append(' ').append(g.criterion()).append(" |"));
        md.append("\n|---|---|---|");
        r.criteria().forEach(g -> md.append("---|"));
        md.append('\n');
        GradingReport.CriterionGrade first = r.criteria().stream().filter(g -> g.error() == null).findFirst()
                .orElse(null);
        if (first != null) {
            for (int i = 0; i < first.groups().size(); i++) {
                GradingReport.GroupGrade group = first.groups().get(i);
                md.append("| ").append(group.group()).append(" | ").append(group.channels()).append(" | ")
                        .append(group.layers()).append(" |");
                for (GradingReport.CriterionGrade g : r.criteria()) {
                    md.append(' ').append(g.error() == null ? number(g.groups().get(i).spearman()) : "n/a")
                            .append(" |");
                }
                md.append('\n');
            }
        }
        return md.toString();
    }

    /** What was measured on what, in one paragraph. */
    public static String describe(GradingReport r) {
        return String.format(Locale.ROOT, "Model `%s` (%s), %d prunable groups, %d channels. Oracle: the exact "
                + "change of cross-entropy on %d training images when each channel alone is removed (%.1f s); "
                + "removing %.1f%% of the channels lowers the loss. Criteria score on %d other training images. "
                + "Spearman ρ with the oracle: 1 ranks channels as the oracle does, 0 is no better than random. "
                + "*Per layer*: mean ρ over the groups produced by one layer, ± the 95%% interval (Student's t over "
                + "layers), against the signed oracle (loss without − loss with) and against its magnitude, which "
                + "is what every criterion estimates. *All channels*: ρ over every channel at once, raw and with "
                + "each group's scores divided by the group's largest (as the global allocator compares groups).",
                r.model(), r.architecture(), r.prunableGroups(), r.channels(), r.samples(), r.oracleSeconds(),
                100 * r.oracleNegativeShare(), r.criteriaSamples());
    }

    /** One row per criterion: per-layer means with intervals, mean per group, the pooled figures, time. */
    public static String summaryTable(GradingReport r) {
        StringBuilder md = new StringBuilder("| criterion | data | per layer ρ (signed) | per layer ρ (magnitude) "
                + "| mean ρ per group | all channels (raw) | all channels (normalised) | scoring time (s) |\n"
                + "|---|---|---|---|---|---|---|---|\n");
        for (GradingReport.CriterionGrade g : r.criteria()) {
            if (g.error() != null) {
                md.append(String.format(Locale.ROOT, "| %s | %s | n/a: %s | | | | | %.2f |%n", g.criterion(),
                        g.needsData() ? "yes" : "no", g.error().replace("|", "\\|"), g.seconds()));
            } else {
                md.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %s | %.2f |%n", g.criterion(),
                        g.needsData() ? "yes" : "no", withInterval(g.perLayer()), withInterval(g.perLayerAbsolute()),
                        number(g.meanPerGroup()), number(g.overallRaw()), number(g.overallNormalised()), g.seconds()));
            }
        }
        return md.toString();
    }

    /** "0.412 ± 0.083 (9)": mean, half-width of the 95% interval, layers. */
    public static String withInterval(GradingReport.LayerMean m) {
        if (m == null || m.mean() == null) {
            return "n/a";
        }
        return number(m.mean()) + (m.halfWidth() == null ? "" : " ± " + number(m.halfWidth())) + " (" + m.layers()
                + ")";
    }

    /** Three decimals, or "n/a" where the correlation is undefined (constant scores, one channel). */
    public static String number(Double v) {
        return v == null ? "n/a" : String.format(Locale.ROOT, "%.3f", v);
    }
}

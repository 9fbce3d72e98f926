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
        md.append(String.format(Locale.ROOT, "Model `%s` (%s), %d images, %d prunable groups, %d channels. "
                + "Oracle: exact loss change when each channel alone is removed (%.2f s); removing %.1f%% of the "
                + "channels lowers the loss on this sample.%n%n", r.model(), r.architecture(), r.samples(),
                r.prunableGroups(), r.channels(), r.oracleSeconds(), 100 * r.oracleNegativeShare()));
        md.append("Spearman rank correlation with the oracle: 1 ranks channels exactly as the oracle does, 0 is no "
                + "better than random. *Normalised*: each group's scores divided by the group's largest absolute "
                + "score, as the global allocator compares groups.\n\n");
        md.append("| criterion | data | overall (raw) | overall (normalised) | mean per group | time (s) |\n");
        md.append("|---|---|---|---|---|---|\n");
        for (GradingReport.CriterionGrade g : r.criteria()) {
            if (g.error() != null) {
                md.append(String.format(Locale.ROOT, "| %s | %s | n/a: %s | | | %.2f |%n", g.criterion(),
                        g.needsData() ? "yes" : "no", g.error().replace("|", "\\|"), g.seconds()));
            } else {
                md.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %.2f |%n", g.criterion(),
                        g.needsData() ? "yes" : "no", number(g.overallRaw()), number(g.overallNormalised()),
                        number(g.meanPerGroup()), g.seconds()));
            }
        }
        md.append("\n## Per group\n\n| group | channels |");
        r.criteria().forEach(g -> md.append(' ').append(g.criterion()).append(" |"));
        md.append("\n|---|---|");
        r.criteria().forEach(g -> md.append("---|"));
        md.append('\n');
        GradingReport.CriterionGrade first = r.criteria().stream().filter(g -> g.error() == null).findFirst()
                .orElse(null);
        if (first != null) {
            for (int i = 0; i < first.groups().size(); i++) {
                GradingReport.GroupGrade group = first.groups().get(i);
                md.append("| ").append(group.group()).append(" | ").append(group.channels()).append(" |");
                for (GradingReport.CriterionGrade g : r.criteria()) {
                    md.append(' ').append(g.error() == null ? number(g.groups().get(i).spearman()) : "n/a")
                            .append(" |");
                }
                md.append('\n');
            }
        }
        return md.toString();
    }

    /** Three decimals, or "n/a" where the correlation is undefined (constant scores, one channel). */
    public static String number(Double v) {
        return v == null ? "n/a" : String.format(Locale.ROOT, "%.3f", v);
    }
}

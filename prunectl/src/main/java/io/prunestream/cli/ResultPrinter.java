package io.prunestream.cli;

import io.prunestream.pipeline.JobEvent;
import io.prunestream.pipeline.JobReport;
import io.prunestream.pipeline.JobResult;
import java.io.PrintWriter;
import java.util.Map;
import java.util.stream.Collectors;

/** How a job's events and result read on a terminal. */
final class ResultPrinter {
    private ResultPrinter() {}

    static void event(PrintWriter out, JobEvent e) {
        String values = e.values().isEmpty() ? "" : "  " + e.values().entrySet().stream()
                .map(v -> v.getKey() + "=" + format(v.getValue())).collect(Collectors.joining(" "));
        out.printf("%-22s %-12s %s%s%n", e.stage(), e.type().name().toLowerCase(), e.message(), values);
        out.flush();
    }

    static int result(PrintWriter out, JobResult r) {
        out.println();
        if (r.status() == JobResult.Status.FAILED) {
            out.printf("job %s FAILED at %s: %s%n", r.jobId(), r.failedStage(), r.cause());
            out.flush();
            return 1;
        }
        if (r.status() == JobResult.Status.CANCELLED) {
            out.printf("job %s CANCELLED%s: %s%n", r.jobId(), r.failedStage() == null ? "" : " in " + r.failedStage(),
                    r.cause());
            out.flush();
            return 1;
        }
        out.printf("job %s succeeded: model at %s (%d bytes, sha256 %s)%n%n", r.jobId(), r.model().path(),
                r.model().size(), r.model().sha256().substring(0, 12));
        report(out, r.report());
        return 0;
    }

    /** A succeeded job's report: the before/after table, the target and where the time went. */
    static void report(PrintWriter out, JobReport rep) {
        Table t = new Table("", "before", "after", "after/before");
        t.row("test accuracy", pct(rep.baselineAccuracy()), pct(rep.finalAccuracy()),
                String.format("%+.2f pts", 100 * (rep.finalAccuracy() - rep.baselineAccuracy())));
        t.row("FLOPs (MACs/image)", Table.count(rep.flopsBefore()), Table.count(rep.flopsAfter()),
                String.format("%.3f", (double) rep.flopsAfter() / rep.flopsBefore()));
        t.row("parameters", Table.count(rep.paramsBefore()), Table.count(rep.paramsAfter()),
                String.format("%.3f", (double) rep.paramsAfter() / rep.paramsBefore()));
        if (rep.latencyBefore() != null && rep.latencyAfter() != null) {
            t.row("latency batch 1 (ms)", format(rep.latencyBefore().batch1Ms()), format(rep.latencyAfter().batch1Ms()),
                    String.format("%.3f", rep.latencyAfter().batch1Ms() / rep.latencyBefore().batch1Ms()));
            t.row("latency batch 256 (ms)", format(rep.latencyBefore().batch256Ms()),
                    format(rep.latencyAfter().batch256Ms()),
                    String.format("%.3f", rep.latencyAfter().batch256Ms() / rep.latencyBefore().batch256Ms()));
        }
        t.print(out);
        out.printf("%ntarget: keep %.1f%% of %s, achieved %.1f%%; %d round(s), %d candidate(s) evaluated%n",
                100 * rep.targetFraction(), rep.targetKind().name().toLowerCase(), 100 * rep.achievedFraction(),
                rep.rounds(), rep.candidatesEvaluated());
        out.println("time per stage: " + rep.stageDurationsMs().entrySet().stream()
                .map(e -> e.getKey() + " " + String.format("%.1f s", e.getValue() / 1000.0))
                .collect(Collectors.joining(", ")));
        if (!rep.criterionGrades().isEmpty()) {
            out.println("criteria graded against the oracle (Spearman over all channels): " + rep.criterionGrades()
                    .entrySet().stream().map(e -> e.getKey() + " " + String.format("%+.2f", e.getValue()))
                    .collect(Collectors.joining(", ")));
        }
        out.flush();
    }

    private static String pct(double v) {
        return String.format("%.2f%%", 100 * v);
    }

    private static String format(double v) {
        return Math.abs(v) >= 100 || v == Math.rint(v) ? String.format("%.0f", v) : String.format("%.4g", v);
    }

}

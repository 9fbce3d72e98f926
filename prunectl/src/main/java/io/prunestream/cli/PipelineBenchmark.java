package io.prunestream.cli;

import io.prunestream.cli.bench.BenchmarkDoc;
import io.prunestream.core.model.ModelPackage;
import io.prunestream.pipeline.ArtifactRef;
import io.prunestream.pipeline.JobEvent;
import io.prunestream.pipeline.JobIds;
import io.prunestream.pipeline.JobMessage;
import io.prunestream.pipeline.JobResult;
import io.prunestream.pipeline.WorkDir;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Times the demo job through the real pipeline and splits its wall time: compute inside the stages,
 * artifact I/O inside the stages (reading, checking and writing packages), and everything else —
 * Kafka transit, consumer polling, queueing — as the gap between wall time and the stages' own time.
 * Also records each service process's peak resident memory.
 */
final class PipelineBenchmark {
    private PipelineBenchmark() {}

    static String run(DemoJob demo, Path workDir, Path projectRoot, PrintWriter out) {
        ModelPackage baseline = Baselines.cached(demo, workDir, out);
        try (LocalPipeline local = LocalPipeline.start(projectRoot, workDir, demo.data(), 0, out)) {
            // The first job meets cold consumers (group joins, lazy class loading); the second shows steady state.
            StringBuilder md = new StringBuilder(BenchmarkDoc.header("Pipeline: the demo job",
                    "bin/prunectl bench pipeline"));
            for (String run : List.of("first job (services just started)", "second job (warm services)")) {
                md.append("\n### ").append(run).append("\n\n").append(timeOneJob(demo, baseline, workDir, local, out));
            }
            md.append("\n### Memory\n\n| service process | peak resident memory (MiB) | resident at the end (MiB) |\n"
                    + "|---|---|---|\n");
            memory(local).forEach((service, kb) -> md.append(String.format("| %s | %d | %d |%n", service, kb[0] / 1024,
                    kb[1] / 1024)));
            return md.toString();
        }
    }

    private static String timeOneJob(DemoJob demo, ModelPackage baseline, Path workDir, LocalPipeline local,
            PrintWriter out) {
        String id = JobIds.newId();
        ArtifactRef ref = new io.prunestream.pipeline.DirectoryArtifactStore(new WorkDir(workDir).artifacts())
                .putModel(id + "/submitted", baseline);
        PipelineClient client = new PipelineClient(local.bootstrap());
        List<JobEvent> events = new ArrayList<>();
        long start = System.nanoTime();
        client.submit(JobMessage.start(id, demo.spec(ref)));
        JobResult result = client.watch(id, Duration.ofHours(2), e -> {
            events.add(e);
            ResultPrinter.event(out, e);
        });
        double wallMs = (System.nanoTime() - start) / 1e6;
        if (result.status() != JobResult.Status.SUCCEEDED) {
            throw new IllegalStateException("the benchmark job failed at " + result.failedStage() + ": " + result.cause());
        }
        // The runner sends a stage's COMPLETED event (acknowledged) before the job's result.
        return section(demo, wallMs, events, result);
    }

    private static String section(DemoJob demo, double wallMs, List<JobEvent> events, JobResult result) {
        Map<String, double[]> perStage = new LinkedHashMap<>();
        for (JobEvent e : events) {
            if (e.type() == JobEvent.Type.COMPLETED && e.values().containsKey("durationMs")) {
                double[] t = perStage.computeIfAbsent(e.stage(), k -> new double[3]);
                t[0] += e.values().get("durationMs");
                t[1] += e.values().getOrDefault("artifactIoMs", 0.0);
                t[2]++;
            }
        }
        StringBuilder md = new StringBuilder();
        md.append("Job: ").append(demo.describe()).append(String.format(
                "; result: test accuracy %.2f%% → %.2f%%, FLOPs kept %.1f%%.%n%n", 100 * result.report().baselineAccuracy(),
                100 * result.report().finalAccuracy(), 100 * result.report().achievedFraction()));
        md.append("| stage | runs | stage time (s) | of which artifact I/O (s) | compute (s) |\n|---|---|---|---|---|\n");
        double stageMs = 0;
        double ioMs = 0;
        for (Map.Entry<String, double[]> s : perStage.entrySet()) {
            double[] t = s.getValue();
            stageMs += t[0];
            ioMs += t[1];
            md.append(String.format("| %s | %.0f | %.2f | %.2f | %.2f |%n", s.getKey(), t[2], t[0] / 1e3, t[1] / 1e3,
                    (t[0] - t[1]) / 1e3));
        }
        double kafkaMs = Math.max(0, wallMs - stageMs);
        double computeMs = stageMs - ioMs;
        md.append(String.format("%n- Wall time, submit to result: %.1f s%n", wallMs / 1e3))
                .append(String.format("- Compute in stages: %.1f s (%.1f%%)%n", computeMs / 1e3, 100 * computeMs / wallMs))
                .append(String.format("- Artifact I/O in stages: %.2f s (%.2f%%)%n", ioMs / 1e3, 100 * ioMs / wallMs))
                .append(String.format("- Kafka transit, polling and queueing (wall minus stage time): %.2f s (%.2f%%)%n",
                        kafkaMs / 1e3, 100 * kafkaMs / wallMs))
                .append(String.format("- Pipeline overhead (artifact I/O + Kafka): %.2f%% of wall time (goal: at most 2%%)%n",
                        100 * (ioMs + kafkaMs) / wallMs));
        return md.toString();
    }

    /** VmHWM (peak) and VmRSS of each service, from /proc; zeros where it cannot be read. */
    private static Map<String, long[]> memory(LocalPipeline local) {
        Map<String, long[]> out = new LinkedHashMap<>();
        List<String> names = new ArrayList<>(local.services().ports().keySet());
        List<Process> processes = local.services().processes();
        for (int i = 0; i < processes.size(); i++) {
            long[] kb = new long[2];
            try {
                for (String line : Files.readAllLines(Path.of("/proc", Long.toString(processes.get(i).pid()), "status"))) {
                    if (line.startsWith("VmHWM:")) {
                        kb[0] = Long.parseLong(line.replaceAll("\\D", ""));
                    } else if (line.startsWith("VmRSS:")) {
                        kb[1] = Long.parseLong(line.replaceAll("\\D", ""));
                    }
                }
            } catch (IOException | RuntimeException e) {
                // Not Linux, or the process is gone: the table shows zeros rather than guesses.
            }
            out.put(names.get(i), kb);
        }
        return out;
    }
}

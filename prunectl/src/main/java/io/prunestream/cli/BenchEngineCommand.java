package io.prunestream.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.prunestream.cli.bench.BenchmarkDoc;
import io.prunestream.cli.bench.EngineBenchmark;
import io.prunestream.core.engine.EngineNumerics;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = EngineBenchmark.NAME, mixinStandardHelpOptions = true,
        description = "What each engine configuration costs (engine kernels, aligned channels, oneDNN limited to "
                + "SSE4.1): one process per configuration, ResNet-20 as built, cut to unaligned widths and cut "
                + "with round-to 16.")
final class BenchEngineCommand implements Callable<Integer> {
    /** Configuration name -> environment of the process that measures it. */
    static final Map<String, Map<String, String>> CONFIGURATIONS = new LinkedHashMap<>();

    static {
        CONFIGURATIONS.put("direct", Map.of("PRUNESTREAM_CONV_MODE", "direct"));
        CONFIGURATIONS.put("aligned", Map.of("PRUNESTREAM_CONV_MODE", "aligned"));
        CONFIGURATIONS.put("sse41", Map.of("PRUNESTREAM_CONV_MODE", "direct", "ONEDNN_MAX_CPU_ISA", "SSE41"));
    }

    private static final String MARKER = "ENGINE-FIGURES ";

    @Spec
    CommandSpec spec;

    @Mixin
    BenchOptions bench;

    @Mixin
    ThreadOptions threads;

    @Option(names = "--rounds", defaultValue = "20", description = "timed inference runs per model and batch size "
            + "(default: ${DEFAULT-VALUE})")
    int rounds;

    @Option(names = "--train-batches", defaultValue = "20", description = "timed training batches of 128 "
            + "per model (default: ${DEFAULT-VALUE})")
    int trainBatches;

    @Option(names = "--model", paramLabel = "PKG", description = "a trained package: adds accuracy and latency "
            + "of L1 + global pruning at each --round-to value (after adaptive BN, no fine-tuning)")
    Path model;

    @Option(names = "--round-to", split = ",", defaultValue = "1,8,16", description = "round-to values of the "
            + "--model study (default: ${DEFAULT-VALUE})")
    List<Integer> roundTos;

    @Option(names = "--target-flops", defaultValue = "0.5", description = "FLOPs kept in the --model study "
            + "(default: ${DEFAULT-VALUE})")
    double targetFlops;

    @Option(names = "--finetune-epochs", defaultValue = "1", description = "fine-tuning of each cut in the --model "
            + "study, on the training split (default: ${DEFAULT-VALUE})")
    int finetuneEpochs;

    @Option(names = "--child", hidden = true, description = "measure this process's configuration and print it")
    String child;

    @Override
    public Integer call() throws Exception {
        if (rounds < 1 || trainBatches < 1) {
            throw new IllegalArgumentException("--rounds and --train-batches must be at least 1");
        }
        PrintWriter out = spec.commandLine().getOut();
        threads.apply(out);
        ObjectMapper json = new ObjectMapper();
        if (child != null) {
            out.println(MARKER + json.writeValueAsString(EngineBenchmark.measure(child, rounds, trainBatches)));
            return 0;
        }
        String auto = EngineNumerics.status().describe();
        List<EngineBenchmark.ConfigurationFigures> all = new ArrayList<>();
        List<String> failed = new ArrayList<>();
        for (Map.Entry<String, Map<String, String>> c : CONFIGURATIONS.entrySet()) {
            out.println("measuring " + c.getKey() + " " + c.getValue() + " ...");
            out.flush();
            String line = runChild(c.getKey(), c.getValue());
            if (line == null) {
                failed.add(c.getKey());
            } else {
                all.add(json.readValue(line, EngineBenchmark.ConfigurationFigures.class));
            }
        }
        String section = render(all, failed, auto);
        if (model != null) {
            out.println("round-to study on " + model + " ...");
            out.flush();
            io.prunestream.core.model.ModelPackage trained = ModelSource.load(model.toString());
            section += renderRoundTo(EngineBenchmark.roundToStudy(trained, bench.data.load(trained.spec()), targetFlops,
                    roundTos, rounds, finetuneEpochs));
        }
        bench.write(EngineBenchmark.NAME, section, out);
        return 0;
    }

    /** Runs this benchmark in a new JVM with {@code env}; its figures line, or null when it failed. */
    private String runChild(String name, Map<String, String> env) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(
                ProcessHandle.current().info().command().orElse("java"), "-Xmx4g", "-Dai.djl.offline=true",
                "-cp", System.getProperty("java.class.path"), PrunectlMain.class.getName(), "bench",
                EngineBenchmark.NAME, "--child", name, "--rounds", Integer.toString(rounds), "--train-batches",
                Integer.toString(trainBatches), "--threads",
                Integer.toString(io.prunestream.core.exec.EngineThreads.inForce().intraOp())));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().remove("ONEDNN_MAX_CPU_ISA");
        pb.environment().putAll(env);
        Process p = pb.start();
        String figures = null;
        StringBuilder log = new StringBuilder();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                if (line.startsWith(MARKER)) {
                    figures = line.substring(MARKER.length());
                } else {
                    log.append(line).append('\n');
                }
            }
        }
        if (p.waitFor() != 0 || figures == null) {
            spec.commandLine().getErr().println(name + " failed:\n" + log);
            return null;
        }
        return figures;
    }

    private String render(List<EngineBenchmark.ConfigurationFigures> all, List<String> failed, String auto) {
        StringBuilder s = new StringBuilder(BenchmarkDoc.header("Engine configurations: what correctness costs",
                "prunectl bench engine --rounds " + rounds + " --train-batches " + trainBatches + threads.flags()
                        + (model == null ? "" : " --model " + model + " --target-flops " + targetFlops + " --finetune-epochs "
                                + finetuneEpochs)
                        + bench.dataFlags()));
        s.append("- AVX-512 on this CPU: ").append(hasAvx512() ? "yes" : "no").append('\n');
        s.append("- What this machine runs with by default (auto): ").append(auto).append("\n\n");
        s.append("One process per configuration (the oneDNN ISA is fixed when libtorch loads). `direct`: the "
                + "engine's kernels; `aligned`: every unaligned channel count zero-padded to a multiple of 16 "
                + "(what auto picks where the engine's kernels are wrong); `sse41`: `ONEDNN_MAX_CPU_ISA=SSE41`. "
                + "A process's models are timed together in ").append(rounds).append(" interleaved rounds after 3 "
                + "warm-up runs (medians); training is SGD "
                + "at batch 128 through the trainer, ").append(trainBatches).append(" timed batches after as many untimed.\n\n");
        s.append("Ratios are against the first model in the same configuration; the goal is a latency ratio at "
                + "most the FLOPs ratio + 0.1.\n\n");
        s.append("| configuration | self-check (ms) | model | MMACs/img | FLOPs ratio | batch 1 (ms) | batch 256 (ms) | "
                + "latency ratio (256) | training (img/s) |\n|---|---|---|---|---|---|---|---|---|\n");
        for (EngineBenchmark.ConfigurationFigures c : all) {
            EngineBenchmark.ModelFigures base = c.models().get(0);
            for (EngineBenchmark.ModelFigures m : c.models()) {
                s.append(String.format(Locale.ROOT, "| %s | %d | %s | %.1f | %.2f | %.2f | %.1f | %.2f | %.0f |%n",
                        c.configuration(), c.selfCheckMs(), m.model(), m.macs() / 1e6,
                        (double) m.macs() / base.macs(), m.batch1Ms(), m.batch256Ms(),
                        m.batch256Ms() / base.batch256Ms(), m.trainImagesPerSecond()));
            }
        }
        for (String f : failed) {
            s.append("| ").append(f).append(" | refused: the self-check found this configuration wrong here | | | | | | | |\n");
        }
        return s.toString();
    }

    private String renderRoundTo(List<EngineBenchmark.RoundToFigures> rows) {
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "%n### Round-to: %s pruned by L1 + global "
                + "to %.0f%% FLOPs, adaptive BN (50 batches), then %d fine-tuning epoch(s)%n%n", model.getFileName(),
                targetFlops * 100, finetuneEpochs));
        s.append("Test accuracy on ").append("the test split").append(bench.dataFlags().isEmpty() ? "" : " (" + bench.dataFlags().trim() + ")")
                .append("; latency in this process's configuration, median of ").append(rounds).append(" runs.\n\n");
        s.append("| round-to | FLOPs kept | accuracy after adaptive BN | after fine-tuning | batch 256 (ms) |\n"
                + "|---|---|---|---|---|\n");
        for (EngineBenchmark.RoundToFigures r : rows) {
            s.append(String.format(Locale.ROOT, "| %d | %.1f%% | %.2f%% | %s | %.1f |%n", r.roundTo(),
                    r.flopsFraction() * 100, r.accuracy() * 100,
                    Double.isNaN(r.finetunedAccuracy()) ? "not fine-tuned"
                            : String.format(Locale.ROOT, "%.2f%%", r.finetunedAccuracy() * 100),
                    r.batch256Ms()));
        }
        return s.toString();
    }

    private static boolean hasAvx512() {
        try {
            return Files.readString(Path.of("/proc/cpuinfo")).contains("avx512f");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

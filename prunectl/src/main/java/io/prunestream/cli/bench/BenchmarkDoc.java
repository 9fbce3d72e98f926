package io.prunestream.cli.bench;

import io.prunestream.core.engine.EngineNumerics;
import io.prunestream.core.exec.EngineThreads;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * {@code docs/BENCHMARKS.md} holds one section per benchmark, each between its own markers, so each
 * benchmark command rewrites its section and leaves the others alone.
 */
public final class BenchmarkDoc {
    private BenchmarkDoc() {}

    public static void writeSection(Path file, String name, String body) {
        String begin = "<!-- bench:" + name + " -->";
        String end = "<!-- /bench:" + name + " -->";
        try {
            String doc = Files.exists(file) ? Files.readString(file)
                    : "# PruneStream benchmarks\n\nEach section is written by the command it names; numbers are "
                    + "measured, never typed in.\n";
            String section = begin + "\n" + body.strip() + "\n" + end;
            int a = doc.indexOf(begin);
            int b = doc.indexOf(end);
            doc = (a >= 0 && b > a) ? doc.substring(0, a) + section + doc.substring(b + end.length())
                    : doc.stripTrailing() + "\n\n" + section + "\n";
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.writeString(file, doc);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /** Machine, command and date: every measured number needs them beside it. */
    public static String header(String title, String command) {
        return "## " + title + "\n\n"
                + "- Date: " + ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME) + "\n"
                + "- Machine: " + machine() + "\n"
                + "- PyTorch engine: " + EngineThreads.inForce().describe() + "\n"
                + "- Command: `" + command + "`\n";
    }

    static String machine() {
        String cpu = "unknown CPU";
        try {
            cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .findFirst().map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse(cpu);
        } catch (IOException ignored) {
            // Not Linux: the rest of the line still says enough.
        }
        long memGb = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getTotalMemorySize() >> 30;
        return Runtime.getRuntime().availableProcessors() + " cores (" + cpu + "), " + memGb + " GiB, Java "
                + System.getProperty("java.version") + ", DJL " + ai.djl.engine.Engine.getDjlVersion() + " "
                + ai.djl.engine.Engine.getInstance().getEngineName() + " "
                + ai.djl.engine.Engine.getInstance().getVersion() + " on " + ai.djl.engine.Engine.getInstance().defaultDevice()
                + ", " + engineConfiguration();
    }

    /** Which convolutions the figures ran on: the self-check's verdict and the oneDNN ISA. */
    static String engineConfiguration() {
        EngineNumerics.Status s = EngineNumerics.status();
        return "engine configuration: convolutions " + s.mode().name().toLowerCase(Locale.ROOT)
                + " (self-check), oneDNN ISA " + s.oneDnnIsa();
    }

    /** "91.23% ± 0.15" (percent, sample standard deviation), or the one value. */
    public static String meanAndSpread(double[] fractions) {
        double mean = org.apache.commons.math3.stat.StatUtils.mean(fractions);
        if (fractions.length < 2) {
            return String.format(Locale.ROOT, "%.2f%%", 100 * mean);
        }
        double sd = Math.sqrt(org.apache.commons.math3.stat.StatUtils.variance(fractions));
        return String.format(Locale.ROOT, "%.2f%% ± %.2f", 100 * mean, 100 * sd);
    }
}

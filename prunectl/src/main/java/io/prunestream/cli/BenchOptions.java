package io.prunestream.cli;

import io.prunestream.cli.bench.BenchmarkDoc;
import java.io.PrintWriter;
import java.nio.file.Path;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** What every benchmark shares: the file its section goes to, and the data it runs on. */
final class BenchOptions {
    @Option(names = "--doc", defaultValue = "docs/BENCHMARKS.md", description = "file to update (default: ${DEFAULT-VALUE})")
    Path doc;

    @Mixin
    DataOptions data;

    /** The data options as they were given, for the command line recorded beside the numbers. */
    String dataFlags() {
        return (data.trainLimit != null ? " --train-limit " + data.trainLimit : "")
                + (data.testLimit != null ? " --test-limit " + data.testLimit : "");
    }

    /** Folder for the section's charts: beside the document, so its relative links resolve. */
    Path chartFolder() {
        Path folder = doc.toAbsolutePath().getParent();
        try {
            java.nio.file.Files.createDirectories(folder);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot create " + folder + ": " + e.getMessage(), e);
        }
        return folder;
    }

    void write(String name, String section, PrintWriter out) {
        BenchmarkDoc.writeSection(doc, name, section);
        out.println("wrote section '" + name + "' of " + doc);
    }
}

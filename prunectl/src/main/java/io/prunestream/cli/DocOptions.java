package io.prunestream.cli;

import io.prunestream.cli.bench.BenchmarkDoc;
import java.io.PrintWriter;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The file a benchmark's section goes to: all a benchmark that reads no data set needs ({@code bench peer}). */
class DocOptions {
    @Option(names = "--doc", defaultValue = "docs/BENCHMARKS.md", description = "file to update (default: ${DEFAULT-VALUE})")
    Path doc;

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

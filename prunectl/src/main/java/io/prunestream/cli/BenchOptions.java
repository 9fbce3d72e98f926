package io.prunestream.cli;

import picocli.CommandLine.Mixin;

/** What most benchmarks share: the file their section goes to, and the data they run on. */
final class BenchOptions extends DocOptions {
    @Mixin
    DataOptions data;

    /** The data options as they were given, for the command line recorded beside the numbers. */
    String dataFlags() {
        return (data.trainLimit != null ? " --train-limit " + data.trainLimit : "")
                + (data.testLimit != null ? " --test-limit " + data.testLimit : "");
    }
}

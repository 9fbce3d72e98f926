package io.prunestream.cli;

import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** What a benchmark that runs the pipeline on this machine takes: its section's file and data, and the work dir. */
abstract class PipelineBenchCommand {
    @Spec
    CommandSpec spec;

    @Mixin
    BenchOptions bench;

    @Mixin
    PipelineOptions pipeline;
}

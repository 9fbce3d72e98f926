package io.prunestream.cli;

import picocli.CommandLine.Command;

/** The benchmarks behind docs/BENCHMARKS.md, one subcommand each. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Run a benchmark on full data and write its section of docs/BENCHMARKS.md (not a test: hours on 2 cores).",
        subcommands = {BenchFoundationCommand.class, BenchCriteriaCommand.class, BenchSearchCommand.class, BenchTrainingCommand.class,
                BenchPipelineCommand.class, BenchTfCommand.class, BenchEngineCommand.class, BenchPeerCommand.class,
                BenchReliabilityCommand.class})
final class BenchCommand {
}

package io.prunestream.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code prunectl}: PruneStream's command line. */
@Command(name = "prunectl", mixinStandardHelpOptions = true, version = "prunectl 0.1.0",
        description = "Make convolutional networks smaller and faster: train, prune, inspect.",
        subcommands = {TrainCommand.class, PruneCommand.class, InspectCommand.class, BenchCommand.class, SubmitCommand.class, WatchCommand.class, CancelCommand.class, UpCommand.class, DemoCommand.class, ImportCommand.class, ExportCommand.class, ScoreCommand.class, CommandLine.HelpCommand.class})
public final class PrunectlMain {

    public static void main(String[] args) {
        // java.util.logging's default takes two lines per record; the engine verdict is meant as one.
        if (System.getProperty("java.util.logging.SimpleFormatter.format") == null) {
            System.setProperty("java.util.logging.SimpleFormatter.format", "%4$s: %5$s%6$s%n");
        }
        ChildProcesses.exitWithParent();
        CommandLine cli = commandLine();
        CommandLine.IExecutionExceptionHandler report = cli.getExecutionExceptionHandler();
        // Only a real process may restart itself; tests share commandLine() without this.
        cli.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            int code = report.handleExecutionException(ex, cmd, parsed);
            if (SafeIsaRelaunch.wanted(ex)) {
                return SafeIsaRelaunch.run(cmd.getErr()).orElse(code);
            }
            return code;
        });
        System.exit(cli.execute(args));
    }

    /** The configured command line, shared by {@link #main} and tests. */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new PrunectlMain());
        // Users get one clear line for bad input; stack traces only with --verbose-errors.
        cli.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            cmd.getErr().println(cmd.getColorScheme().errorText("error: " + UserErrors.describe(ex)));
            if (Boolean.getBoolean("prunectl.trace")) {
                ex.printStackTrace(cmd.getErr());
            }
            return 1;
        });
        return cli;
    }
}

package io.prunestream.cli;

import io.prunestream.core.model.ModelPackage;
import io.prunestream.tf.ExportOptions;
import io.prunestream.tf.OutputActivation;
import io.prunestream.tf.export.SavedModelExporter;
import io.prunestream.tf.parity.ParityCheck;
import io.prunestream.tf.parity.ParityReport;
import io.prunestream.core.data.RandomImages;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "export", mixinStandardHelpOptions = true,
        description = {"Export a model package (pruned or not) as a TensorFlow SavedModel.",
                "Signature serving_default: input 'input', float [N, H, W, C] images preprocessed as the package says "
                        + "(written to assets.extra/prunestream.json); output 'output', [N, classes]. "
                        + "Needs the TensorFlow natives (TENSORFLOW_LIBRARY_PATH)."})
final class ExportCommand implements Callable<Integer> {
    /** Outputs may differ by float rounding between the engines, relative to their size. */
    static final double TOLERANCE = 1e-4;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "PKG", description = "package folder or zip, or zoo:<architecture>")
    String model;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "SavedModel folder to create (must not "
            + "exist or be empty)")
    Path out;

    @Option(names = "--activation", paramLabel = "none|softmax", description = "applied to the logits in the "
            + "SavedModel (default: the one the package was imported with, else none)")
    String activation;

    @Option(names = "--verify", description = "run the SavedModel on DJL's TensorFlow engine and the package on PyTorch "
            + "on random images and compare (exit 1 if they disagree)")
    boolean verify;

    @Override
    public Integer call() {
        PrintWriter o = spec.commandLine().getOut();
        ModelPackage pkg = ModelSource.load(model);
        ExportOptions options = new ExportOptions(activation == null ? null : OutputActivation.byKey(activation));
        long start = System.nanoTime();
        SavedModelExporter.export(pkg, out, options);
        o.printf("exported %s to %s in %.1f s (signature %s, output %s)%n", pkg.spec().name(), out,
                (System.nanoTime() - start) / 1e9, SavedModelExporter.SIGNATURE,
                options.activationFor(pkg.spec()) == OutputActivation.SOFTMAX ? "probabilities" : "logits");
        if (!verify) {
            return 0;
        }
        ParityReport r = ParityCheck.run(pkg, out, RandomImages.pixels(pkg.spec().input(), pkg.spec().classes(), 64, 1), 32,
                options.activationFor(pkg.spec()));
        o.println("verified: " + r.summary());
        boolean ok = r.predictionsAgree() && r.maxAbsDiff() <= TOLERANCE * (1 + r.maxAbsOutput());
        if (!ok) {
            spec.commandLine().getErr().println("error: the SavedModel does not compute what the package computes");
        }
        return ok ? 0 : 1;
    }
}

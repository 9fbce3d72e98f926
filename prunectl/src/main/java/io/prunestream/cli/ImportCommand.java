package io.prunestream.cli;

import io.prunestream.core.cost.CostModel;
import io.prunestream.core.model.ModelPackage;
import io.prunestream.core.model.PackageIO;
import io.prunestream.tf.ImportOptions;
import io.prunestream.core.data.InputTransform;
import io.prunestream.tf.OutputActivation;
import io.prunestream.tf.SavedModelImporter;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "import", mixinStandardHelpOptions = true,
        description = {"Import a TensorFlow SavedModel of a Keras CNN as a model package.",
                "The graph is checked against an op allow-list before TensorFlow loads it; ops without a package "
                        + "equivalent are listed by name. Needs the TensorFlow natives (TENSORFLOW_LIBRARY_PATH)."})
final class ImportCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "SAVEDMODEL_DIR", description = "folder holding saved_model.pb and variables/")
    Path savedModel;

    @Option(names = "--out", required = true, paramLabel = "PKG", description = "package folder to write (or .zip)")
    Path out;

    @Option(names = "--name", description = "package name (default: the SavedModel folder's name)")
    String name;

    @Option(names = "--signature", defaultValue = ImportOptions.DEFAULT_SIGNATURE,
            description = "signature to import (default: ${DEFAULT-VALUE})")
    String signature;

    @Option(names = "--normalize-columns", description = "the model was trained on tf.keras.utils.normalize(x, axis=1) "
            + "images (each image column scaled to unit L2 norm); recorded in the package as its input_transform")
    boolean normalizeColumns;

    @Override
    public Integer call() {
        PrintWriter o = spec.commandLine().getOut();
        InputTransform transform = normalizeColumns ? InputTransform.COLUMN_L2 : InputTransform.NONE;
        ImportOptions options = ImportOptions.defaults().withName(name).withSignature(signature)
                .withInputTransform(transform);
        long start = System.nanoTime();
        ModelPackage pkg = SavedModelImporter.importModel(savedModel, options);
        if (out.getFileName().toString().endsWith(".zip")) {
            PackageIO.saveZip(pkg, out);
        } else {
            PackageIO.save(pkg, out);
        }
        o.printf("imported %s in %.1f s: %d nodes, %s parameters, %s MACs per image%n", pkg.spec().name(),
                (System.nanoTime() - start) / 1e9, pkg.spec().nodes().size(), Table.count(pkg.parameterCount()),
                Table.count(CostModel.of(pkg.graph()).macs()));
        o.printf("input %s (the SavedModel's NHWC images as NCHW), fed pixel / 255%s%n",
                Arrays.toString(pkg.spec().input().shape()),
                transform == InputTransform.NONE ? "" : ", then " + transform.key() + " (recorded as input_transform)");
        if (OutputActivation.of(pkg.spec()) != OutputActivation.NONE) {
            o.printf("the package outputs logits; the SavedModel's final %s is recorded and comes back on export%n",
                    OutputActivation.of(pkg.spec()).key());
        }
        o.println("wrote " + out);
        return 0;
    }
}

package io.prunestream.tf.export;

import io.prunestream.core.model.ModelPackage;
import io.prunestream.tf.ExportOptions;
import io.prunestream.tf.OutputActivation;
import io.prunestream.tf.TfRuntime;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.tensorflow.Graph;
import org.tensorflow.Output;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.SessionFunction;
import org.tensorflow.Signature;

/**
 * Exports a package (pruned or not) as a SavedModel with one {@value #SIGNATURE} signature: input
 * {@code input}, float {@code [N, H, W, C]} images preprocessed as the package says (see
 * {@code assets.extra/prunestream.json}); output {@code output}, {@code [N, classes]} logits or
 * probabilities. Weights are graph constants, so there is no checkpoint to restore and the model
 * needs nothing but {@code saved_model.pb}. The folder appears complete or not at all.
 */
public final class SavedModelExporter {
    public static final String SIGNATURE = "serving_default";
    /** GraphDefs are protobufs, which cannot exceed 2 GiB; leave room for everything but the weights. */
    static final long MAX_WEIGHT_BYTES = 1536L << 20;

    private SavedModelExporter() {}

    public static void export(ModelPackage pkg, Path dir, ExportOptions options) {
        long bytes = pkg.weights().values().stream().mapToLong(t -> 4L * t.size()).sum();
        if (bytes > MAX_WEIGHT_BYTES) {
            throw new IllegalArgumentException("package '" + pkg.spec().name() + "' has " + bytes + " bytes of weights; "
                    + "exported SavedModels keep weights in the graph, which allows at most " + MAX_WEIGHT_BYTES);
        }
        requireEmpty(dir);
        TfRuntime.ensureLoaded();
        OutputActivation activation = options.activationFor(pkg.spec());
        Path tmp = dir.toAbsolutePath().resolveSibling(dir.getFileName() + ".export-tmp");
        try {
            deleteTree(tmp);
            try (Graph g = new Graph()) {
                List<Output<?>> io = TfGraphWriter.write(g, pkg, activation);
                try (Session session = new Session(g)) {
                    Signature signature = Signature.builder().key(SIGNATURE).methodName("tensorflow/serving/predict")
                            .input(TfGraphWriter.INPUT, io.get(0)).output(TfGraphWriter.OUTPUT, io.get(1)).build();
                    SavedModelBundle.exporter(tmp.toString()).withFunction(SessionFunction.create(signature, session))
                            .export();
                }
            }
            ExportManifest.write(tmp, pkg, activation);
            Files.deleteIfExists(dir);
            Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write SavedModel " + dir + ": " + e.getMessage(), e);
        } finally {
            deleteTree(tmp);
        }
    }

    private static void requireEmpty(Path dir) {
        try (Stream<Path> entries = Files.isDirectory(dir) ? Files.list(dir) : Stream.empty()) {
            if (Files.exists(dir) && (!Files.isDirectory(dir) || entries.findAny().isPresent())) {
                throw new IllegalArgumentException(dir + " already exists and is not an empty folder");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + dir + ": " + e.getMessage(), e);
        }
    }

    private static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + root + ": " + e.getMessage(), e);
        }
    }
}

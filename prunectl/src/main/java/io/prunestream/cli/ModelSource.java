package io.prunestream.cli;

import io.prunestream.core.model.ModelPackage;
import io.prunestream.core.model.PackageIO;
import io.prunestream.core.zoo.ModelZoo;
import io.prunestream.tf.ImportOptions;
import io.prunestream.tf.SavedModelImporter;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Resolves a model argument: a package folder or zip, a TensorFlow SavedModel folder (imported on the
 * fly, through the same allow-list and checks as {@code prunectl import}), or {@code zoo:<architecture>}
 * for a fresh one.
 */
final class ModelSource {
    private ModelSource() {}

    static ModelPackage load(String ref) {
        if (ref.startsWith("zoo:")) {
            return ModelZoo.create(ref.substring(4), 42);
        }
        Path path = Path.of(ref);
        if (Files.isRegularFile(path.resolve("saved_model.pb")) && !Files.exists(path.resolve(PackageIO.SPEC_FILE))) {
            return SavedModelImporter.importModel(path, ImportOptions.defaults());
        }
        return PackageIO.load(path);
    }
}

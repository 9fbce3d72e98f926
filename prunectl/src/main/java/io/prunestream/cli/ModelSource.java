package io.prunestream.cli;

import io.prunestream.core.model.ModelPackage;
import io.prunestream.core.model.PackageIO;
import io.prunestream.core.zoo.ModelZoo;
import java.nio.file.Path;

/** Resolves a model argument: a package folder or zip, or {@code zoo:<architecture>} for a fresh one. */
final class ModelSource {
    private ModelSource() {}

    static ModelPackage load(String ref) {
        if (ref.startsWith("zoo:")) {
            return ModelZoo.create(ref.substring(4), 42);
        }
        return PackageIO.load(Path.of(ref));
    }
}

package io.prunestream.tf;

import io.prunestream.core.data.InputTransform;
import io.prunestream.tf.savedmodel.SavedModelLimits;

/**
 * @param name package name; null takes the SavedModel folder's name
 * @param signature the signature to import
 * @param inputTransform preprocessing the model was trained with, recorded in the package
 * @param limits file size limits
 */
public record ImportOptions(String name, String signature, InputTransform inputTransform, SavedModelLimits limits) {
    public static final String DEFAULT_SIGNATURE = "serving_default";

    public static ImportOptions defaults() {
        return new ImportOptions(null, DEFAULT_SIGNATURE, InputTransform.NONE, SavedModelLimits.DEFAULT);
    }

    public ImportOptions withName(String newName) {
        return new ImportOptions(newName, signature, inputTransform, limits);
    }

    public ImportOptions withSignature(String key) {
        return new ImportOptions(name, key, inputTransform, limits);
    }

    public ImportOptions withInputTransform(InputTransform transform) {
        return new ImportOptions(name, signature, transform, limits);
    }

    public ImportOptions withLimits(SavedModelLimits newLimits) {
        return new ImportOptions(name, signature, inputTransform, newLimits);
    }
}

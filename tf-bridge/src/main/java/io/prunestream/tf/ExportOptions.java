package io.prunestream.tf;

/**
 * @param activation applied to the logits in the exported graph; null takes what the package records
 *     (a Keras model imported with its softmax gets it back, native packages export logits)
 */
public record ExportOptions(OutputActivation activation) {
    public static ExportOptions defaults() {
        return new ExportOptions(null);
    }

    public OutputActivation activationFor(io.prunestream.core.model.ModelSpec spec) {
        return activation != null ? activation : OutputActivation.of(spec);
    }
}

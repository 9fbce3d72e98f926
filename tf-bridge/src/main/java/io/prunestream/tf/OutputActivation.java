package io.prunestream.tf;

import io.prunestream.core.model.ModelSpec;
import io.prunestream.tf.convert.GraphConverter;
import java.util.Arrays;
import java.util.Locale;

/**
 * What a SavedModel applies to the logits. Packages always output logits; a Keras classifier usually
 * ends in a softmax, which import drops and records so that export can put it back.
 */
public enum OutputActivation {
    NONE("none"),
    SOFTMAX("softmax");

    private final String key;

    OutputActivation(String key) {
        this.key = key;
    }

    public String key() {
        return key;
    }

    /** The activation the package's source applied, as recorded by import; NONE for native packages. */
    public static OutputActivation of(ModelSpec spec) {
        Object v = spec.info().get(GraphConverter.OUTPUT_ACTIVATION);
        return v == null ? NONE : byKey(v.toString());
    }

    public static OutputActivation byKey(String key) {
        return Arrays.stream(values()).filter(a -> a.key.equals(key.toLowerCase(Locale.ROOT))).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown output activation '" + key + "' (known: none, softmax)"));
    }

    /** Applies the activation to one row of logits, in place. */
    public float[] apply(float[] row) {
        if (this == SOFTMAX) {
            float max = Float.NEGATIVE_INFINITY;
            for (float v : row) {
                max = Math.max(max, v);
            }
            double sum = 0;
            for (int i = 0; i < row.length; i++) {
                row[i] = (float) Math.exp(row[i] - max);
                sum += row[i];
            }
            for (int i = 0; i < row.length; i++) {
                row[i] = (float) (row[i] / sum);
            }
        }
        return row;
    }
}

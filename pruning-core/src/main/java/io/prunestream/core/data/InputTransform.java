package io.prunestream.core.data;

import io.prunestream.core.model.ModelSpec;
import java.util.Arrays;
import java.util.Locale;

/**
 * Preprocessing a model needs beyond the package's {@code (pixel / 255 - mean) / std}, recorded in
 * {@code info.input_transform} so that whoever feeds the model can apply it. PruneStream's
 * {@code InputSpec} cannot express these: they depend on the whole image. It lives beside the datasets
 * because every place that feeds a model (training, scoring, evaluation, the pipeline) loads its
 * images through {@link DataSplits#load(java.nio.file.Path, ModelSpec, long, DataSplits.Limits)}.
 */
public enum InputTransform {
    /** Nothing beyond the InputSpec. */
    NONE("none"),
    /**
     * {@code tf.keras.utils.normalize(x, axis=1)} on {@code [N, H, W(, C)]} images: every column of every
     * channel scaled to unit L2 norm over the image rows (all-zero columns stay zero). Scale-invariant,
     * so it gives the same result on raw or [0, 1]-scaled pixels.
     */
    COLUMN_L2("keras-normalize-axis1");

    public static final String INFO_KEY = "input_transform";

    private final String key;

    InputTransform(String key) {
        this.key = key;
    }

    public String key() {
        return key;
    }

    public static InputTransform of(ModelSpec spec) {
        Object v = spec.info().get(INFO_KEY);
        return v == null ? NONE : byKey(v.toString());
    }

    public static InputTransform byKey(String key) {
        return Arrays.stream(values()).filter(t -> t.key.equals(key.toLowerCase(Locale.ROOT))).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown input transform '" + key + "' (known: "
                        + Arrays.stream(values()).map(InputTransform::key).toList() + ")"));
    }

    /** The same images transformed (after the InputSpec's normalisation); {@code NONE} returns {@code data}. */
    public ImageDataset apply(ImageDataset data) {
        if (this == NONE) {
            return data;
        }
        return ImageDataset.adopt(apply(data.pixels(), data.size(), data.channels(), data.height(), data.width()),
                data.labels(), data.channels(), data.height(), data.width(), data.numClasses());
    }

    /** Applies the transform to {@code n} NCHW images; returns a new array. */
    public float[] apply(float[] images, int n, int c, int h, int w) {
        float[] out = images.clone();
        if (this == COLUMN_L2) {
            for (int plane = 0; plane < n * c; plane++) {
                int base = plane * h * w;
                for (int col = 0; col < w; col++) {
                    double sum = 0;
                    for (int row = 0; row < h; row++) {
                        float v = out[base + row * w + col];
                        sum += (double) v * v;
                    }
                    double norm = sum == 0 ? 1 : Math.sqrt(sum);
                    for (int row = 0; row < h; row++) {
                        out[base + row * w + col] = (float) (out[base + row * w + col] / norm);
                    }
                }
            }
        }
        return out;
    }
}

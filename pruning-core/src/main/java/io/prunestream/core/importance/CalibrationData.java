package io.prunestream.core.importance;

import io.prunestream.core.data.ImageDataset;
import io.prunestream.core.model.InputSpec;
import io.prunestream.core.model.ModelSpec;
import java.util.Objects;

/**
 * The data sample data-driven criteria look at, and the batch size they push it through the model
 * with. The batch size bounds native memory only: every criterion's result is the same for any batch
 * size (inference-mode BN makes examples independent), up to float rounding.
 */
public record CalibrationData(ImageDataset sample, int batchSize) {
    public static final int DEFAULT_BATCH_SIZE = 64;

    public CalibrationData {
        Objects.requireNonNull(sample, "sample");
        if (sample.size() == 0) {
            throw new IllegalArgumentException("the calibration sample is empty");
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("calibration batch size must be at least 1, got " + batchSize);
        }
    }

    /** Fails, naming the model, when the sample's images or labels do not fit it. */
    void requireFits(ModelSpec spec) {
        InputSpec in = spec.input();
        if (sample.channels() != in.channels() || sample.height() != in.height() || sample.width() != in.width()) {
            throw new IllegalArgumentException("model '" + spec.name() + "' takes " + in.channels() + "x" + in.height()
                    + "x" + in.width() + " images, the calibration sample has " + sample.channels() + "x"
                    + sample.height() + "x" + sample.width());
        }
        if (sample.numClasses() > spec.classes()) {
            throw new IllegalArgumentException("model '" + spec.name() + "' has " + spec.classes()
                    + " classes, the calibration sample has labels up to " + (sample.numClasses() - 1));
        }
    }
}

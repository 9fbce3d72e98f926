package io.prunestream.core.data;

import io.prunestream.core.model.InputSpec;
import io.prunestream.core.model.ModelSpec;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The three sets a pruning job uses: training images (fine-tuning, adaptive-BN calibration), a
 * held-out split of the training set (choosing among candidates without touching the test set) and
 * the test set (the final report only). Images are normalised as the model's package says.
 */
public record DataSplits(ImageDataset train, ImageDataset heldOut, ImageDataset test) {
    /** 5,000 of Fashion-MNIST's 60,000 training images, as in EagleEye's sub-validation set. */
    public static final double DEFAULT_HELD_OUT_FRACTION = 1.0 / 12;

    /** Limits on each set's size; {@code null} or non-positive keeps the whole set. */
    public record Limits(Integer train, Integer heldOut, Integer test) {
        public static final Limits NONE = new Limits(null, null, null);
    }

    /**
     * The splits as {@code model} expects its input: normalised by its InputSpec, then transformed by
     * its {@link InputTransform} (imported Keras models may need one).
     */
    public static DataSplits load(Path folder, ModelSpec model, long seed, Limits limits) throws IOException {
        DataSplits splits = load(folder, model.input(), seed, limits);
        InputTransform transform = InputTransform.of(model);
        return transform == InputTransform.NONE ? splits
                : new DataSplits(transform.apply(splits.train()), transform.apply(splits.heldOut()),
                        transform.apply(splits.test()));
    }

    /** The splits normalised by {@code input}, with no further transform. */
    public static DataSplits load(Path folder, InputSpec input, long seed, Limits limits) throws IOException {
        IdxDatasetFolder located = folder == null ? IdxDatasetFolder.locateDefault() : IdxDatasetFolder.locate(folder);
        Normalization norm = new Normalization((float) input.mean(), (float) input.std());
        ImageDataset all = located.train(norm);
        if (all.channels() != input.channels() || all.height() != input.height() || all.width() != input.width()) {
            throw new IllegalArgumentException("the data in " + located.folder() + " has images of " + all.channels()
                    + "x" + all.height() + "x" + all.width() + " but the model takes " + input.channels() + "x"
                    + input.height() + "x" + input.width());
        }
        ImageDataset.Split split = all.split(DEFAULT_HELD_OUT_FRACTION, seed);
        // Without a test set (a single IDX pair), the held-out split doubles as the test set.
        ImageDataset test = located.test(norm).orElse(split.heldOut());
        return new DataSplits(limit(split.train(), limits.train(), seed), limit(split.heldOut(), limits.heldOut(), seed + 1),
                limit(test, limits.test(), seed + 2));
    }

    private static ImageDataset limit(ImageDataset data, Integer n, long seed) {
        return n == null || n <= 0 || n >= data.size() ? data : data.sample(n, seed);
    }
}

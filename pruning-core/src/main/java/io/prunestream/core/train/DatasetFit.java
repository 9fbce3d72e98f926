package io.prunestream.core.train;

import io.prunestream.core.data.ImageDataset;
import io.prunestream.core.model.InputSpec;
import io.prunestream.core.model.ModelSpec;

/** Rejects datasets a model cannot consume before any native memory is touched. */
final class DatasetFit {
    private DatasetFit() {}

    static void require(ModelSpec spec, ImageDataset data) {
        if (data.size() == 0) {
            throw new IllegalArgumentException("dataset is empty");
        }
        InputSpec in = spec.input();
        if (data.channels() != in.channels() || data.height() != in.height() || data.width() != in.width()) {
            throw new IllegalArgumentException("model '" + spec.name() + "' takes " + in.channels() + "x"
                    + in.height() + "x" + in.width() + " images, dataset has " + data.channels() + "x"
                    + data.height() + "x" + data.width());
        }
        if (data.numClasses() > spec.classes()) {
            throw new IllegalArgumentException("model '" + spec.name() + "' has " + spec.classes()
                    + " classes, dataset has " + data.numClasses());
        }
    }
}

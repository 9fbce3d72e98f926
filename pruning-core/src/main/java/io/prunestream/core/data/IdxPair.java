package io.prunestream.core.data;

import java.io.IOException;
import java.nio.file.Path;

/** An idx3-ubyte image file and the idx1-ubyte file labelling it. */
public record IdxPair(Path images, Path labels) {

    /**
     * Reads both files into a single-channel dataset; numClasses is the largest label + 1.
     *
     * @throws DatasetException if either file is unusable or their counts differ
     */
    public ImageDataset load(Normalization normalization) throws IOException {
        IdxImages idx = IdxReader.readImages(images);
        int[] labelValues = IdxReader.readLabels(labels);
        if (labelValues.length != idx.count()) {
            throw new DatasetException(labels, "label/image count mismatch, "
                    + labelValues.length + " labels but " + images + " holds " + idx.count()
                    + " images");
        }
        return ImageDataset.adopt(normalization.apply(idx.pixels()), labelValues, 1, idx.rows(),
                idx.columns(), ImageDataset.classesIn(labelValues));
    }
}

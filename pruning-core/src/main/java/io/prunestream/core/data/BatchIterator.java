package io.prunestream.core.data;

import io.prunestream.core.cancel.CancellationToken;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;

/** Walks a dataset in (optionally shuffled) order, materialising one batch at a time. */
final class BatchIterator implements Iterator<ImageDataset.Batch> {

    private final ImageDataset dataset;
    private final NDManager manager;
    private final int batchSize;
    private final int[] order;
    private int next;

    BatchIterator(ImageDataset dataset, NDManager manager, int batchSize, boolean shuffle,
            long seed) {
        this.dataset = dataset;
        this.manager = manager;
        this.batchSize = batchSize;
        if (shuffle) {
            this.order = Permutations.shuffled(dataset.size(), seed);
        } else {
            this.order = new int[dataset.size()];
            Arrays.setAll(order, i -> i);
        }
    }

    @Override
    public boolean hasNext() {
        return next < order.length;
    }

    @Override
    public ImageDataset.Batch next() {
        if (!hasNext()) {
            throw new NoSuchElementException("no batches left");
        }
        // Every loop over data passes here once per batch: the place where work asked to stop stops.
        CancellationToken.checkpoint();
        int end = Math.min(next + batchSize, order.length);
        ImageDataset part = dataset.select(Arrays.copyOfRange(order, next, end));
        next = end;

        float[] labels = new float[part.size()];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = part.labelAt(i);
        }
        Shape imageShape = new Shape(part.size(), part.channels(), part.height(), part.width());
        NDManager sub = manager.newSubManager();
        try {
            NDArray images = sub.create(part.pixelArray(), imageShape);
            NDArray labelArray = sub.create(labels, new Shape(labels.length));
            return new ImageDataset.Batch(sub, images, labelArray);
        } catch (RuntimeException e) {
            sub.close();
            throw e;
        }
    }
}

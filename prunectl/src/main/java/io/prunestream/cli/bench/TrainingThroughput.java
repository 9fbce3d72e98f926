package io.prunestream.cli.bench;

import ai.djl.Device;
import io.prunestream.core.data.ImageDataset;
import io.prunestream.core.model.InputSpec;
import io.prunestream.core.model.ModelPackage;
import io.prunestream.core.train.LearningRateSchedule;
import io.prunestream.core.train.ModelTrainer;
import io.prunestream.core.train.ProgressListener;
import io.prunestream.core.train.TrainingConfig;
import java.util.SplittableRandom;

/**
 * Training speed the way a user's fine-tuning gets it: {@link ModelTrainer}, SGD with the peer
 * benchmark's settings ({@link PeerBudget}), on random images, not a loop written for the occasion.
 * Two epochs of {@code batches} batches run and the second is timed; the first absorbs kernel
 * selection and allocator growth.
 */
final class TrainingThroughput {
    private final ModelPackage model;
    private final ImageDataset images;
    private final TrainingConfig config;

    TrainingThroughput(ModelPackage model, int batches) {
        this.model = model;
        this.images = randomImages(model, batches * PeerBudget.TRAIN_BATCH_SIZE);
        this.config = TrainingConfig.builder().epochs(2).batchSize(PeerBudget.TRAIN_BATCH_SIZE)
                .maxBatchesPerEpoch(batches).learningRate(PeerBudget.LEARNING_RATE)
                .momentum(PeerBudget.MOMENTUM).weightDecay(PeerBudget.WEIGHT_DECAY)
                .schedule(LearningRateSchedule.CONSTANT).seed(1).build();
    }

    /** Images per second of the timed epoch, on the CPU. */
    double imagesPerSecond() {
        return new ModelTrainer(config, ProgressListener.NONE, Device.cpu()).train(model, images).lastEpoch()
                .imagesPerSecond();
    }

    private static ImageDataset randomImages(ModelPackage model, int count) {
        InputSpec in = model.spec().input();
        SplittableRandom random = new SplittableRandom(7);
        float[] pixels = new float[count * in.channels() * in.height() * in.width()];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (float) random.nextGaussian();
        }
        int[] labels = random.ints(count, 0, model.spec().classes()).toArray();
        return new ImageDataset(pixels, labels, in.channels(), in.height(), in.width(), model.spec().classes());
    }
}

package io.prunestream.core.train;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import io.prunestream.core.data.ImageDataset;
import io.prunestream.core.exec.PackageBlock;
import io.prunestream.core.model.InputSpec;
import io.prunestream.core.model.ModelPackage;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * Trains a model package with DJL's {@link Trainer} on one device. The package's weights become the
 * parameters of a {@link PackageBlock}; the trained values come back as a new package.
 *
 * <p>Runs with the same config and seed reproduce the same weights on CPU: the seed fixes each epoch's
 * shuffle and the engine's random state (used by dropout). Setting the engine seed is global to the
 * JVM, so concurrent trainings in one process are not reproducible.
 */
public final class ModelTrainer {
    private final TrainingConfig config;
    private final ProgressListener listener;
    private final Device device;

    public ModelTrainer(TrainingConfig config) {
        this(config, ProgressListener.NONE);
    }

    public ModelTrainer(TrainingConfig config, ProgressListener listener) {
        this(config, listener, Engine.getInstance().defaultDevice());
    }

    public ModelTrainer(TrainingConfig config, ProgressListener listener, Device device) {
        this.config = Objects.requireNonNull(config, "config");
        this.listener = Objects.requireNonNull(listener, "listener");
        this.device = Objects.requireNonNull(device, "device");
    }

    public TrainingResult train(ModelPackage initial, ImageDataset data) {
        DatasetFit.require(initial.spec(), data);
        int batches = config.batchesPerEpoch(data.size());
        Tracker learningRate = config.schedule().tracker((float) config.learningRate(), batches * config.epochs());
        Engine.getInstance().setRandomSeed(Long.hashCode(config.seed()));
        try (Model model = Model.newInstance("prunestream-training", device)) {
            PackageBlock block = new PackageBlock(initial, model.getNDManager());
            model.setBlock(block);
            try (Trainer trainer = model.newTrainer(djlConfig(learningRate))) {
                // The parameters keep the package's values; initialize only attaches their gradients.
                InputSpec in = initial.spec().input();
                trainer.initialize(new Shape(config.batchSize(), in.channels(), in.height(), in.width()));
                List<EpochStats> history = new ArrayList<>();
                SplittableRandom shuffles = new SplittableRandom(config.seed());
                for (int epoch = 1; epoch <= config.epochs(); epoch++) {
                    float rate = learningRate.getNewValue((epoch - 1) * batches);
                    EpochStats stats = trainEpoch(trainer, data, epoch, batches, shuffles.nextLong(), rate);
                    history.add(stats);
                    listener.onEpoch(stats);
                }
                return new TrainingResult(block.toPackage(), history);
            }
        }
    }

    private DefaultTrainingConfig djlConfig(Tracker learningRate) {
        Optimizer sgd = Optimizer.sgd()
                .setLearningRateTracker(learningRate)
                .optMomentum((float) config.momentum())
                .optWeightDecays((float) config.weightDecay())
                // DJL counts the first update as beginNumUpdate + 1; the schedule is indexed from 0.
                .optBeginNumUpdate(-1)
                .build();
        return new DefaultTrainingConfig(config.loss())
                .optOptimizer(sgd)
                .optDevices(new Device[] {device});
    }

    private EpochStats trainEpoch(Trainer trainer, ImageDataset data, int epoch, int batches, long shuffleSeed,
            float rate) {
        long start = System.nanoTime();
        Tally tally = new Tally();
        Iterator<ImageDataset.Batch> it =
                data.batches(trainer.getManager(), config.batchSize(), true, shuffleSeed).iterator();
        for (int b = 1; b <= batches; b++) {
            try (ImageDataset.Batch batch = it.next()) {
                Tally.Score score = step(trainer, batch, tally);
                listener.onBatch(epoch, b, batches, score.loss(), score.accuracy());
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return new EpochStats(epoch, tally.meanLoss(), tally.accuracy(), rate, seconds, tally.samples() / seconds);
    }

    /** One optimiser step; every array it makes lives in the batch's manager or is closed by DJL. */
    private static Tally.Score step(Trainer trainer, ImageDataset.Batch batch, Tally tally) {
        NDArray logits;
        NDArray loss;
        try (GradientCollector collector = trainer.newGradientCollector()) {
            logits = trainer.forward(new NDList(batch.images())).singletonOrThrow();
            loss = trainer.getLoss().evaluate(new NDList(batch.labels()), new NDList(logits));
            collector.backward(loss);
        }
        trainer.step();
        return tally.add(logits, batch.labels(), loss);
    }
}

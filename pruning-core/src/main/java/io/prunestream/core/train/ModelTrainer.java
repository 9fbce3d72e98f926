package io.prunestream.core.train;

import io.prunestream.core.cancel.CancellationToken;
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
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import ai.djl.training.loss.Loss;
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
 *
 * <p>The objective is the config's loss on the logits, unless a teacher is given
 * ({@link #distilledFrom}): then a {@link DistillationLoss} compares the logits with the labels and
 * with the teacher's logits on the same batch (teacher in inference mode, no gradient). Every
 * {@link Penalty} ({@link #withPenalty}) is added to that loss inside the gradient collector, so its
 * gradient reaches the weights through the same optimiser step; the reported loss is the total.
 *
 * <p>A step whose loss is NaN or infinite ends the run with a {@link TrainingDivergedException} before
 * the optimiser applies its gradients; the listener hears of no batch after the last good one.
 */
public final class ModelTrainer {
    /** How a {@link TrainingDivergedException} from here names the run. */
    static final String TRAINING = "training";
    private final TrainingConfig config;
    private final ProgressListener listener;
    private final Device device;
    private final ModelPackage teacher;
    private final DistillationLoss distillation;
    private final List<Penalty> penalties;

    public ModelTrainer(TrainingConfig config) {
        this(config, ProgressListener.NONE);
    }

    public ModelTrainer(TrainingConfig config, ProgressListener listener) {
        this(config, listener, Engine.getInstance().defaultDevice());
    }

    public ModelTrainer(TrainingConfig config, ProgressListener listener, Device device) {
        this(config, listener, device, null, null, List.of());
    }

    private ModelTrainer(TrainingConfig config, ProgressListener listener, Device device, ModelPackage teacher,
            DistillationLoss distillation, List<Penalty> penalties) {
        this.config = Objects.requireNonNull(config, "config");
        this.listener = Objects.requireNonNull(listener, "listener");
        this.device = Objects.requireNonNull(device, "device");
        this.teacher = teacher;
        this.distillation = distillation;
        this.penalties = List.copyOf(penalties);
    }

    /** This trainer, learning from {@code teacher}'s logits as well as the labels; replaces the config's loss. */
    public ModelTrainer distilledFrom(ModelPackage teacher, DistillationLoss loss) {
        Objects.requireNonNull(teacher, "teacher");
        Objects.requireNonNull(loss, "distillation loss");
        return new ModelTrainer(config, listener, device, teacher, loss, penalties);
    }

    /** This trainer with {@code penalty} added to the objective. */
    public ModelTrainer withPenalty(Penalty penalty) {
        List<Penalty> more = new ArrayList<>(penalties);
        more.add(Objects.requireNonNull(penalty, "penalty"));
        return new ModelTrainer(config, listener, device, teacher, distillation, more);
    }

    public TrainingResult train(ModelPackage initial, ImageDataset data) {
        DatasetFit.require(initial.spec(), data);
        if (teacher != null) {
            DatasetFit.require(teacher.spec(), data);
            if (teacher.spec().classes() != initial.spec().classes()) {
                throw new IllegalArgumentException("teacher '" + teacher.spec().name() + "' has "
                        + teacher.spec().classes() + " classes, the student '" + initial.spec().name() + "' has "
                        + initial.spec().classes());
            }
        }
        int batches = config.batchesPerEpoch(data.size());
        Tracker learningRate = config.schedule().tracker((float) config.learningRate(), batches * config.epochs());
        Engine.getInstance().setRandomSeed(Long.hashCode(config.seed()));
        try (Model model = Model.newInstance("prunestream-training", device)) {
            PackageBlock block = new PackageBlock(initial, model.getNDManager());
            model.setBlock(block);
            Teacher teacherRun = teacher == null ? null : new Teacher(teacher, model.getNDManager());
            try (Trainer trainer = model.newTrainer(djlConfig(learningRate))) {
                // The parameters keep the package's values; initialize only attaches their gradients.
                InputSpec in = initial.spec().input();
                trainer.initialize(new Shape(config.batchSize(), in.channels(), in.height(), in.width()));
                List<EpochStats> history = new ArrayList<>();
                SplittableRandom shuffles = new SplittableRandom(config.seed());
                for (int epoch = 1; epoch <= config.epochs(); epoch++) {
                    float rate = learningRate.getNewValue((epoch - 1) * batches);
                    EpochStats stats = trainEpoch(trainer, block, teacherRun, data, epoch, batches,
                            shuffles.nextLong(), rate);
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
        Loss loss = distillation != null ? distillation : config.loss();
        return new DefaultTrainingConfig(loss)
                .optOptimizer(sgd)
                .optDevices(new Device[] {device});
    }

    private EpochStats trainEpoch(Trainer trainer, PackageBlock block, Teacher teacherRun, ImageDataset data,
            int epoch, int batches, long shuffleSeed, float rate) {
        long start = System.nanoTime();
        Tally tally = new Tally();
        Iterator<ImageDataset.Batch> it =
                data.batches(trainer.getManager(), config.batchSize(), true, shuffleSeed).iterator();
        for (int b = 1; b <= batches; b++) {
            CancellationToken.checkpoint();
            try (ImageDataset.Batch batch = it.next()) {
                Tally.Score score = forwardBackward(trainer, block, teacherRun, batch);
                // Before the update: once applied, a non-finite gradient poisons every weight for good.
                TrainingDivergedException.requireFiniteLoss(TRAINING, epoch, b, batches, score.loss());
                trainer.step();
                tally.add(score);
                listener.onBatch(epoch, b, batches, score.loss(), score.accuracy());
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return new EpochStats(epoch, tally.meanLoss(), tally.accuracy(), rate, seconds, tally.samples() / seconds);
    }

    /**
     * Forward and backward of one batch, leaving the gradients for {@code trainer.step()}; returns the
     * batch's score. Every array it makes lives in the batch's manager or is closed by DJL.
     */
    private Tally.Score forwardBackward(Trainer trainer, PackageBlock block, Teacher teacherRun,
            ImageDataset.Batch batch) {
        NDList targets = teacherRun == null ? new NDList(batch.labels())
                : new NDList(batch.labels(), teacherRun.logits(batch.images()));
        NDArray logits;
        NDArray loss;
        try (GradientCollector collector = trainer.newGradientCollector()) {
            logits = trainer.forward(new NDList(batch.images())).singletonOrThrow();
            loss = trainer.getLoss().evaluate(targets, new NDList(logits));
            for (Penalty penalty : penalties) {
                loss = loss.add(penalty.value(block));
            }
            collector.backward(loss);
        }
        return Tally.read(logits, batch.labels(), loss);
    }

    /** The teacher on the training device, run in inference mode outside any gradient collector. */
    private static final class Teacher {
        private final PackageBlock block;
        private final ParameterStore store;

        Teacher(ModelPackage pkg, NDManager manager) {
            this.block = new PackageBlock(pkg, manager);
            this.store = new ParameterStore(manager, false);
        }

        NDArray logits(NDArray images) {
            return block.forward(store, new NDList(images), false).singletonOrThrow();
        }
    }
}

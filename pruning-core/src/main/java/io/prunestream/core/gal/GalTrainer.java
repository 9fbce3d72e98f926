package io.prunestream.core.gal;

import io.prunestream.core.cancel.CancellationToken;
import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import ai.djl.util.Pair;
import io.prunestream.core.data.ImageDataset;
import io.prunestream.core.exec.PackageBlock;
import io.prunestream.core.model.InputSpec;
import io.prunestream.core.model.ModelPackage;
import io.prunestream.core.train.EpochStats;
import io.prunestream.core.train.ProgressListener;
import io.prunestream.core.train.TrainingConfig;
import io.prunestream.core.train.TrainingDivergedException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * GAL, generative adversarial learning for structured pruning (Lin et al., CVPR 2019), as run here.
 *
 * <p><b>Players.</b> The teacher is the original model, frozen, in inference mode. The student is the
 * same model with a soft mask {@code m >= 0} on every channel of every maskable group
 * ({@link MaskSites}: at each producer's output, after its batch-norm), starting at {@code m = 1}.
 * The discriminator {@code D} is a small MLP on logits (classes → 64 → 64 → 1, ReLU), returning a
 * raw logit "came from the teacher".
 *
 * <p><b>Losses</b>, per batch {@code x} with teacher logits {@code t} and student logits {@code s}
 * (mean over the batch; {@code sp(z) = log(1 + e^z)}, so {@code sp(-z)} is BCE-with-logits against
 * label 1, applied once to raw logits):
 * <pre>
 *   student:        L_S = 1/2 |s - t|^2  +  beta * sp(-D(s))  +  lambda * |m|_1   (+ weight decay in SGD)
 *   discriminator:  L_D = sp(-D(t)) + sp(D(detach(s)))
 * </pre>
 * The labels are not used for training (only for the reported accuracy): the student learns to
 * imitate the teacher.
 *
 * <p><b>Schedule</b>, each batch: (1) the student step: forward with the masks at FISTA's
 * extrapolated point, backward of the smooth part ({@code 1/2 |s - t|^2 + beta * sp(-D(s))}), one SGD
 * step (momentum, weight decay, the config's learning-rate schedule) on the student's weights, and,
 * on every {@link GalConfig#maskStep()}-th student step of the run only, one {@link FistaMaskStep} on the masks
 * (gradient step, then the soft threshold {@code eta * lambda} that handles {@code lambda |m|_1},
 * clamped at zero), as the authors' code does with {@code mask_step}; (2) the discriminator step: Adam
 * on {@code L_D}, with {@code s} from step (1) detached. Gradients that the student's backward leaves on
 * D's parameters are cleared before D's own backward. FISTA's momentum restarts at every epoch
 * ({@link FistaMaskStep#restart()}). With {@code beta} = 1 (the default) the objective is the paper's
 * {@code L_adv + L_data + L_reg}.
 *
 * <p><b>Recalibration.</b> BN running statistics trail the masks during training (they average over
 * batches seen with older masks), so the student is recalibrated before it is returned: with the final
 * masks, {@link io.prunestream.core.evaluation.AdaptiveBatchNorm#DEFAULT_BATCHES} training-mode forward
 * passes outside any gradient collector, which update the statistics and nothing else.
 *
 * <p><b>Granularity.</b> With {@link MaskGranularity#BLOCKS} the masks are one scalar per residual
 * block ({@link BlockSites}), multiplying the block's branch output just before its add; losses,
 * schedule and proximal step are the same, the mask vector is just shorter.
 *
 * <p>A non-finite student or discriminator loss ends the run with a {@link TrainingDivergedException}
 * before that player's update.
 *
 * <p>Runs on the given device (by default the engine's: a GPU when there is one); nothing here
 * assumes either.
 */
public final class GalTrainer {
    private final TrainingConfig training;
    private final GalConfig gal;
    private final ProgressListener listener;
    private final Consumer<GalEpoch> epochListener;
    private final Device device;

    public GalTrainer(TrainingConfig training, GalConfig gal) {
        this(training, gal, ProgressListener.NONE, e -> { }, Engine.getInstance().defaultDevice());
    }

    public GalTrainer(TrainingConfig training, GalConfig gal, ProgressListener listener,
            Consumer<GalEpoch> epochListener, Device device) {
        this.training = Objects.requireNonNull(training, "training config");
        this.gal = Objects.requireNonNull(gal, "GAL config");
        this.listener = Objects.requireNonNull(listener, "listener");
        this.epochListener = Objects.requireNonNull(epochListener, "epoch listener");
        this.device = Objects.requireNonNull(device, "device");
    }

    public GalResult train(ModelPackage original, ImageDataset data) {
        if (data.size() == 0) {
            throw new IllegalArgumentException("dataset is empty");
        }
        SoftMasks masks = SoftMasks.of(original, gal.granularity());
        int batches = training.batchesPerEpoch(data.size());
        Tracker rate = training.schedule().tracker((float) training.learningRate(), batches * training.epochs());
        Engine.getInstance().setRandomSeed(Long.hashCode(training.seed()));
        try (Model studentModel = Model.newInstance("gal-student", device);
                Model criticModel = Model.newInstance("gal-discriminator", device)) {
            PackageBlock student = new PackageBlock(original, studentModel.getNDManager());
            studentModel.setBlock(student);
            PackageBlock teacher = new PackageBlock(original, studentModel.getNDManager());
            ParameterStore teacherStore = new ParameterStore(studentModel.getNDManager(), false);
            Block critic = Discriminator.create();
            criticModel.setBlock(critic);
            student.setHook(masks.hook());
            FistaMaskStep fista = new FistaMaskStep(masks.ones(), gal.maskLearningRate(), gal.lambda());
            try (Trainer studentTrainer = studentModel.newTrainer(studentConfig(rate));
                    Trainer criticTrainer = criticModel.newTrainer(criticConfig())) {
                InputSpec in = original.spec().input();
                studentTrainer.initialize(new Shape(training.batchSize(), in.channels(), in.height(), in.width()));
                criticTrainer.initialize(new Shape(training.batchSize(), original.spec().classes()));
                List<GalEpoch> history = new ArrayList<>();
                SplittableRandom shuffles = new SplittableRandom(training.seed());
                Run run = new Run(studentTrainer, criticTrainer, teacher, teacherStore, masks, fista, critic);
                for (int epoch = 1; epoch <= training.epochs(); epoch++) {
                    float lr = rate.getNewValue((epoch - 1) * batches);
                    fista.restart();
                    GalEpoch stats = run.epoch(data, epoch, batches, shuffles.nextLong(), lr);
                    history.add(stats);
                    listener.onEpoch(stats.student());
                    epochListener.accept(stats);
                }
                recalibrate(studentTrainer, masks, fista, data, shuffles.nextLong());
                student.setHook(null);
                return new GalResult(student.toPackage(), fista.masks(), history);
            }
        }
    }

    /** BN statistics of the student re-estimated under the final masks (see the class comment). */
    private void recalibrate(Trainer studentTrainer, SoftMasks masks, FistaMaskStep fista, ImageDataset data,
            long seed) {
        int seen = 0;
        for (int pass = 0; seen < io.prunestream.core.evaluation.AdaptiveBatchNorm.DEFAULT_BATCHES; pass++) {
            for (ImageDataset.Batch batch : data.batches(studentTrainer.getManager(), training.batchSize(), true,
                    seed + pass)) {
                try (batch) {
                    if (seen < io.prunestream.core.evaluation.AdaptiveBatchNorm.DEFAULT_BATCHES) {
                        masks.load(fista.masks(), batch.manager());
                        studentTrainer.forward(new NDList(batch.images()));
                        seen++;
                    }
                }
            }
        }
    }

    private DefaultTrainingConfig studentConfig(Tracker rate) {
        Optimizer sgd = Optimizer.sgd().setLearningRateTracker(rate).optMomentum((float) training.momentum())
                .optWeightDecays((float) training.weightDecay()).optBeginNumUpdate(-1).build();
        // The loss is built by hand in Run.studentStep; DJL's trainer only needs one to exist.
        return new DefaultTrainingConfig(Loss.l2Loss()).optOptimizer(sgd).optDevices(new Device[] {device});
    }

    private DefaultTrainingConfig criticConfig() {
        Optimizer adam = Optimizer.adam()
                .optLearningRateTracker(Tracker.fixed((float) gal.discriminatorLearningRate())).build();
        return new DefaultTrainingConfig(Loss.l2Loss()).optOptimizer(adam).optDevices(new Device[] {device});
    }

    /** The state of one training run, so that the per-batch methods stay short. */
    private final class Run {
        private final Trainer studentTrainer;
        private final Trainer criticTrainer;
        private final PackageBlock teacher;
        private final ParameterStore teacherStore;
        private final SoftMasks masks;
        private final FistaMaskStep fista;
        private final Block critic;
        /** The smooth part of the student's loss at the last step. */
        private double lastStudentLoss;

        Run(Trainer studentTrainer, Trainer criticTrainer, PackageBlock teacher, ParameterStore teacherStore,
                SoftMasks masks, FistaMaskStep fista, Block critic) {
            this.studentTrainer = studentTrainer;
            this.criticTrainer = criticTrainer;
            this.teacher = teacher;
            this.teacherStore = teacherStore;
            this.masks = masks;
            this.fista = fista;
            this.critic = critic;
        }

        GalEpoch epoch(ImageDataset data, int epoch, int batches, long shuffleSeed, float lr) {
            long start = System.nanoTime();
            double lossSum = 0;
            double criticSum = 0;
            long correct = 0;
            long samples = 0;
            Iterator<ImageDataset.Batch> it = data.batches(studentTrainer.getManager(), training.batchSize(), true,
                    shuffleSeed).iterator();
            for (int b = 1; b <= batches; b++) {
                CancellationToken.checkpoint();
                try (ImageDataset.Batch batch = it.next()) {
                    NDArray t = teacher.forward(teacherStore, new NDList(batch.images()), false).singletonOrThrow();
                    masks.load(fista.point(), batch.manager());
                    Step step = new Step(epoch, b, batches);
                    // Counted over the whole run, so that short epochs still add up to mask steps.
                    long studentSteps = (long) (epoch - 1) * batches + b;
                    NDArray s = studentStep(batch.images(), t, step, studentSteps % gal.maskStep() == 0);
                    double loss = lastStudentLoss + gal.lambda() * l1(fista.masks());
                    criticSum += criticStep(t, s.stopGradient(), step);
                    long hits = (long) s.argMax(1).toType(DataType.FLOAT32, false).eq(batch.labels())
                            .toType(DataType.FLOAT32, false).sum().getFloat();
                    int n = batch.size();
                    lossSum += loss * n;
                    correct += hits;
                    samples += n;
                    listener.onBatch(epoch, b, batches, loss, (double) hits / n);
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            EpochStats stats = new EpochStats(epoch, lossSum / samples, (double) correct / samples, lr, seconds,
                    samples / seconds);
            return new GalEpoch(stats, SoftMasks.sparsity(fista.masks()), criticSum / batches);
        }

        /** The student's SGD step and, when {@code stepMasks}, the masks' FISTA step; returns the student's logits. */
        private NDArray studentStep(NDArray images, NDArray teacherLogits, Step step, boolean stepMasks) {
            NDArray s;
            try (GradientCollector collector = studentTrainer.newGradientCollector()) {
                s = studentTrainer.forward(new NDList(images)).singletonOrThrow();
                NDArray distance = s.sub(teacherLogits).square().sum(new int[] {1}).mean().mul(0.5f);
                NDArray fooled = GanLosses.saysTeacher(criticTrainer.forward(new NDList(s)).singletonOrThrow());
                NDArray loss = distance.add(fooled.mul((float) gal.adversarialWeight()));
                collector.backward(loss);
                lastStudentLoss = loss.getFloat();
            }
            // Neither the weights nor the masks may take a step from a non-finite loss's gradients.
            step.requireFinite("GAL's student", lastStudentLoss);
            Map<Integer, float[]> gradients = masks.gradients();
            studentTrainer.step();
            if (stepMasks) {
                fista.step(gradients);
            }
            return s;
        }

        /** Adam on the discriminator's BCE; returns its loss. */
        private double criticStep(NDArray teacherLogits, NDArray studentLogits, Step step) {
            clearCriticGradients();
            double value;
            try (GradientCollector collector = criticTrainer.newGradientCollector()) {
                NDArray real = criticTrainer.forward(new NDList(teacherLogits)).singletonOrThrow();
                NDArray fake = criticTrainer.forward(new NDList(studentLogits)).singletonOrThrow();
                NDArray loss = GanLosses.saysTeacher(real).add(GanLosses.saysStudent(fake));
                collector.backward(loss);
                value = loss.getFloat();
            }
            step.requireFinite("GAL's discriminator", value);
            criticTrainer.step();
            return value;
        }

        private void clearCriticGradients() {
            for (Pair<String, Parameter> p : critic.getParameters()) {
                NDArray array = p.getValue().getArray();
                if (array.hasGradient()) {
                    NDArray grad = array.getGradient();
                    grad.subi(grad);
                }
            }
        }
    }

    /** Where a batch's steps stand in the run, for {@link TrainingDivergedException}. */
    private record Step(int epoch, int batch, int batches) {
        void requireFinite(String training, double loss) {
            TrainingDivergedException.requireFiniteLoss(training, epoch, batch, batches, loss);
        }
    }

    private static double l1(Map<Integer, float[]> masks) {
        double sum = 0;
        for (float[] v : masks.values()) {
            for (float x : v) {
                sum += Math.abs(x);
            }
        }
        return sum;
    }
}

package io.prunestream.core.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.loss.Loss;

/**
 * Knowledge distillation (Hinton et al., 2015) as a DJL loss:
 * {@code L = (1 - w) * CE(y, s) + w * T^2 * KL(softmax(t / T) || softmax(s / T))}, averaged over the
 * batch, where {@code s} are the student's logits, {@code t} the teacher's, {@code y} the labels,
 * {@code T} the temperature and {@code w} the distillation weight. The {@code T^2} factor keeps the
 * soft term's gradient on the same scale as the hard term's when the temperature changes.
 *
 * <p>Labels come as {@code NDList(labels, teacherLogits)}; predictions as {@code NDList(studentLogits)}.
 */
public final class DistillationLoss extends Loss {
    public static final double DEFAULT_TEMPERATURE = 4;
    public static final double DEFAULT_WEIGHT = 0.5;

    private final double temperature;
    private final double weight;
    private final Loss crossEntropy = Loss.softmaxCrossEntropyLoss();

    public DistillationLoss(double temperature, double weight) {
        super("distillation");
        if (!(temperature > 0) || !Double.isFinite(temperature)) {
            throw new IllegalArgumentException("distillation temperature must be positive and finite, got "
                    + temperature);
        }
        if (!(weight >= 0 && weight <= 1)) {
            throw new IllegalArgumentException("distillation weight must be in [0, 1], got " + weight);
        }
        this.temperature = temperature;
        this.weight = weight;
    }

    public double temperature() {
        return temperature;
    }

    public double weight() {
        return weight;
    }

    @Override
    public NDArray evaluate(NDList labels, NDList predictions) {
        if (labels.size() != 2) {
            throw new IllegalArgumentException("distillation needs the labels and the teacher's logits, got "
                    + labels.size() + " label array(s)");
        }
        NDArray student = predictions.singletonOrThrow();
        NDArray hard = crossEntropy.evaluate(new NDList(labels.get(0)), predictions);
        NDArray soft = softTargetDivergence(student, labels.get(1));
        return hard.mul((float) (1 - weight)).add(soft.mul((float) (weight * temperature * temperature)));
    }

    /** Batch mean of KL(softmax(t / T) || softmax(s / T)). */
    NDArray softTargetDivergence(NDArray student, NDArray teacher) {
        float t = (float) temperature;
        NDArray teacherLog = teacher.div(t).logSoftmax(1);
        NDArray studentLog = student.div(t).logSoftmax(1);
        return teacherLog.exp().mul(teacherLog.sub(studentLog)).sum(new int[] {1}).mean();
    }
}

package io.prunestream.core.gal;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * FISTA (Beck and Teboulle, 2009) on the soft masks, for {@code min f(m) + lambda * |m|_1} subject to
 * {@code m >= 0}: the smooth part {@code f} is the student's loss, whose gradient is taken at the
 * extrapolated point {@code y} (the masks the forward pass uses), then
 * <pre>
 *   m_{k+1} = max(y_k - eta * grad - eta * lambda, 0)          (proximal soft threshold, non-negative)
 *   t_{k+1} = (1 + sqrt(1 + 4 t_k^2)) / 2
 *   y_{k+1} = max(m_{k+1} + (t_k - 1) / t_{k+1} * (m_{k+1} - m_k), 0)
 * </pre>
 * The threshold sets masks to exactly zero, which is what lets surgery remove their channels. Masks
 * are small (one float per channel), so the step runs on the host.
 *
 * <p>{@link #restart()} drops the momentum ({@code t = 1}, {@code y = m}). FISTA's momentum assumes one
 * fixed smooth objective; here the student's weights and the discriminator move under the masks, so
 * the objective drifts, and momentum kept across that drift accelerates masks past where the current
 * objective wants them. GalTrainer restarts it every epoch.
 */
final class FistaMaskStep {
    private final double learningRate;
    private final double lambda;
    private Map<Integer, float[]> masks;
    private Map<Integer, float[]> point;
    private double t = 1;

    FistaMaskStep(Map<Integer, float[]> initial, double learningRate, double lambda) {
        this.learningRate = learningRate;
        this.lambda = lambda;
        this.masks = copy(initial);
        this.point = copy(initial);
    }

    /** The masks at which the next gradient is to be taken (the forward pass's masks). */
    Map<Integer, float[]> point() {
        return point;
    }

    /** The current iterate: the masks training ends with. */
    Map<Integer, float[]> masks() {
        return masks;
    }

    void restart() {
        t = 1;
        point = copy(masks);
    }

    void step(Map<Integer, float[]> gradients) {
        double nextT = (1 + Math.sqrt(1 + 4 * t * t)) / 2;
        double momentum = (t - 1) / nextT;
        float threshold = (float) (learningRate * lambda);
        Map<Integer, float[]> nextMasks = new LinkedHashMap<>();
        Map<Integer, float[]> nextPoint = new LinkedHashMap<>();
        point.forEach((group, y) -> {
            float[] g = gradients.get(group);
            float[] old = masks.get(group);
            float[] m = new float[y.length];
            float[] z = new float[y.length];
            for (int i = 0; i < y.length; i++) {
                m[i] = Math.max(y[i] - (float) learningRate * g[i] - threshold, 0f);
                z[i] = Math.max(m[i] + (float) momentum * (m[i] - old[i]), 0f);
            }
            nextMasks.put(group, m);
            nextPoint.put(group, z);
        });
        masks = nextMasks;
        point = nextPoint;
        t = nextT;
    }

    private static Map<Integer, float[]> copy(Map<Integer, float[]> values) {
        Map<Integer, float[]> out = new LinkedHashMap<>();
        values.forEach((k, v) -> out.put(k, v.clone()));
        return out;
    }
}

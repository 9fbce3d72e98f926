package io.prunestream.core.importance;

import ai.djl.ndarray.NDArray;

/**
 * "taylor": the first-order Taylor criterion in its activation form (Molchanov et al., Pruning
 * Convolutional Neural Networks for Resource Efficient Inference, 2017). Zeroing channel {@code c}
 * of activation {@code a} changes an example's loss by about {@code -Σ_m a_m·∂L/∂a_m}; the score is,
 * per example, {@code |mean over positions m of a_m·∂L/∂a_m|} (the example's own loss), averaged over
 * the calibration sample, then divided by the L2 norm of the group's scores as the paper normalises
 * per layer (a group of zero scores stays zero).
 *
 * <p>Activations are taken after the activation function, at the sites of {@link GroupSites}; a
 * residual group averages the per-site values before normalising. The gradient is the full one at
 * the site, through every reader.
 */
public final class TaylorCriterion extends ActivationCriterion {
    public static final String NAME = "taylor";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    protected boolean needsGradients() {
        return true;
    }

    @Override
    protected SiteStatistic newStatistic(int channels) {
        return new SiteStatistic() {
            private final double[] sum = new double[channels];
            private long examples;

            @Override
            public void add(NDArray activation, NDArray gradient) {
                NDArray perExample = activation.mul(gradient).mean(new int[] {2}).abs();
                // (B, C) as (B, C, 1): one "position" per example, so the shared batch sum applies.
                SiteStatistic.addInto(sum, SiteStatistic.sumOverBatchAndPositions(perExample.expandDims(2)));
                examples += activation.getShape().get(0);
            }

            @Override
            public double[] perChannel() {
                double[] s = new double[channels];
                for (int c = 0; c < channels; c++) {
                    s[c] = sum[c] / examples;
                }
                return s;
            }
        };
    }

    @Override
    protected double[] perGroup(double[] averaged) {
        double norm = 0;
        for (double v : averaged) {
            norm += v * v;
        }
        norm = Math.sqrt(norm);
        double[] out = averaged.clone();
        if (norm > 0) {
            for (int i = 0; i < out.length; i++) {
                out[i] /= norm;
            }
        }
        return out;
    }
}

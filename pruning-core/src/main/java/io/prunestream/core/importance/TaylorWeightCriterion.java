package io.prunestream.core.importance;

import ai.djl.ndarray.NDArray;
import io.prunestream.core.dependency.ChannelGroup;
import io.prunestream.core.model.ModelGraph;
import java.util.List;

/**
 * "taylor-weight": the first-order Taylor criterion in the weight form today's toolkits use
 * (Molchanov et al., Importance Estimation for Neural Network Pruning, CVPR 2019):
 * {@code |Σ_s w_s·∂L/∂w_s|} over the parameters {@code s} of a channel's filter, with {@code L} the
 * mean cross-entropy of the whole calibration sample: the first-order change of the loss when the
 * filter is set to zero. Of the two forms in use this is the absolute value of the signed sum
 * (ranking like the paper's {@code (Σ g·w)²}), not the sum of squares {@code Σ (w·g)²}: the sum is
 * what the expansion gives for the whole filter, whereas squaring each term first counts terms that
 * cancel as importance.
 *
 * <p>The filter is the one inference runs: the producer's weights and bias with its batch-norm folded
 * in. Without folding, zeroing a conv filter would leave BN's shift {@code β − γμ/σ} in the channel,
 * which is not removing it; with it the criterion is the paper's BN form
 * {@code |Σ γ·∂L/∂γ + β·∂L/∂β|} for conv-BN producers and {@code |Σ w·∂L/∂w + b·∂L/∂b|} for producers
 * without BN. Both are computed without parameter gradients: a filter's output {@code y} is linear
 * in its parameters, so the sum equals {@code Σ_{examples, positions} y·∂L/∂y} exactly, taken at
 * {@link GroupSites#foldedProducerOutputs}. A residual group averages its producers, as the weight
 * criteria do ({@link GroupReduction}).
 */
public final class TaylorWeightCriterion extends ActivationCriterion {
    public static final String NAME = "taylor-weight";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    protected List<ChannelSite> sites(ModelGraph graph, ChannelGroup group) {
        return GroupSites.foldedProducerOutputs(graph, group);
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
                SiteStatistic.addInto(sum, SiteStatistic.sumOverBatchAndPositions(activation.mul(gradient)));
                examples += activation.getShape().get(0);
            }

            @Override
            public double[] perChannel() {
                // The probe's gradients are of the summed loss; dividing by N gives the mean loss's.
                double[] s = new double[channels];
                for (int c = 0; c < channels; c++) {
                    s[c] = Math.abs(sum[c] / examples);
                }
                return s;
            }
        };
    }
}

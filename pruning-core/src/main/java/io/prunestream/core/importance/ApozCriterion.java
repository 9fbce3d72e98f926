package io.prunestream.core.importance;

import ai.djl.ndarray.types.DataType;

/**
 * "apoz": one minus the Average Percentage of Zeros of a channel after its activation (Hu et al.,
 * Network Trimming, 2016), over every example and position of the calibration sample. A channel
 * the ReLU silences on most inputs passes little on, so fewer zeros means more important; a channel
 * that is always zero scores exactly 0.
 *
 * <p>"After the activation" is defined by {@link GroupSites#activationSites}: after the ReLU that
 * follows the producer's BN, and for residual groups after the ReLU that follows the {@code add}
 * (the stem after its own ReLU); a group scores the mean over its sites. A group whose channels meet
 * no rectifier (a linear bottleneck) has essentially no exact zeros, so all its channels score about
 * 1: APoZ cannot rank such channels, and the grader shows it.
 */
public final class ApozCriterion extends ActivationCriterion {
    public static final String NAME = "apoz";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    protected SiteStatistic newStatistic(int channels) {
        return new ElementMean(channels, a -> a.eq(0).toType(DataType.FLOAT32, false));
    }

    /** The sites measured APoZ; 1 − mean(APoZ) equals mean(1 − APoZ) over sites. */
    @Override
    protected double[] perGroup(double[] apoz) {
        double[] s = new double[apoz.length];
        for (int i = 0; i < s.length; i++) {
            s[i] = 1 - apoz[i];
        }
        return s;
    }
}

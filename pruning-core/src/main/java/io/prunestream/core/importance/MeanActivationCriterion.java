package io.prunestream.core.importance;

/**
 * "mean-activation": the mean of a channel's output after its activation over every example and
 * position of the calibration sample (Polyak and Wolf, Channel-level acceleration of deep face
 * representations, 2015): a channel that is weak on average moves the next layer little. Sites and
 * group averaging as for {@link ApozCriterion}; on a linear bottleneck (no rectifier) the mean may
 * be negative and is used as is.
 */
public final class MeanActivationCriterion extends ActivationCriterion {
    public static final String NAME = "mean-activation";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    protected SiteStatistic newStatistic(int channels) {
        return new ElementMean(channels, a -> a);
    }
}

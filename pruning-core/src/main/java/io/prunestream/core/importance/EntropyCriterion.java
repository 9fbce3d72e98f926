package io.prunestream.core.importance;

import ai.djl.ndarray.NDArray;
import java.util.ArrayList;
import java.util.List;

/**
 * "entropy": how much a channel's response varies across inputs (Luo and Wu, An Entropy-based
 * Pruning Method for CNN Compression, 2017). Each channel is global-average-pooled after its
 * activation (sites as for {@link ApozCriterion}) on each of the N calibration images; the N values
 * are put in a histogram, whose bin counts divided by N are probabilities, and the score is their
 * entropy in nats. A channel that answers every image alike carries no information about it and
 * scores 0.
 *
 * <p>The bins split the range [min, max] of <em>all</em> channels of the site tensor, not each
 * channel's own: a channel that barely moves compared to its neighbours then lands in one or two bins
 * and scores low, whereas a per-channel range would stretch any wobble, even float noise on a
 * constant channel, over all bins. The number of bins is configurable (default
 * {@value #DEFAULT_BINS}); with few images many bins stay empty, which lowers every score alike.
 */
public final class EntropyCriterion extends ActivationCriterion {
    public static final String NAME = "entropy";
    public static final int DEFAULT_BINS = 32;

    private final int bins;

    public EntropyCriterion() {
        this(DEFAULT_BINS);
    }

    public EntropyCriterion(int bins) {
        if (bins < 2) {
            throw new IllegalArgumentException("entropy needs at least 2 histogram bins, got " + bins);
        }
        this.bins = bins;
    }

    public int bins() {
        return bins;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    protected SiteStatistic newStatistic(int channels) {
        return new SiteStatistic() {
            /** Per batch, the pooled value of each (example, channel), row-major. */
            private final List<float[]> pooled = new ArrayList<>();

            @Override
            public void add(NDArray activation, NDArray gradient) {
                pooled.add(activation.mean(new int[] {2}).toFloatArray());
            }

            @Override
            public double[] perChannel() {
                return entropies(pooled, channels, bins);
            }
        };
    }

    /** Entropy (nats) of each channel's histogram; {@code pooled} rows are [example][channel] flattened. */
    static double[] entropies(List<float[]> pooled, int channels, int bins) {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (float[] batch : pooled) {
            for (float v : batch) {
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
        }
        long[][] counts = new long[channels][bins];
        long images = 0;
        double width = (max - min) / bins;
        for (float[] batch : pooled) {
            int rows = batch.length / channels;
            images += rows;
            for (int r = 0; r < rows; r++) {
                for (int c = 0; c < channels; c++) {
                    // Everything falls in bin 0 when the whole tensor is constant (width 0).
                    int bin = width > 0 ? (int) Math.min(bins - 1, (batch[r * channels + c] - min) / width) : 0;
                    counts[c][bin]++;
                }
            }
        }
        double[] entropy = new double[channels];
        for (int c = 0; c < channels; c++) {
            double h = 0;
            for (long n : counts[c]) {
                if (n > 0) {
                    double p = (double) n / images;
                    h -= p * Math.log(p);
                }
            }
            entropy[c] = h;
        }
        return entropy;
    }
}

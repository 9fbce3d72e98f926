package io.prunestream.core.grading;

import org.apache.commons.math3.exception.NotANumberException;
import org.apache.commons.math3.stat.correlation.SpearmansCorrelation;
import org.apache.commons.math3.stat.ranking.NaNStrategy;
import org.apache.commons.math3.stat.ranking.NaturalRanking;
import org.apache.commons.math3.stat.ranking.TiesStrategy;

/**
 * Spearman's rank correlation (Commons Math): the Pearson correlation of the two samples' ranks, tied
 * values sharing the average of the ranks they span. Undefined, and returned as NaN, for fewer than two
 * values or when either sample is constant; NaN values are refused.
 */
public final class SpearmanCorrelation {
    private static final NaturalRanking RANKING = new NaturalRanking(NaNStrategy.FAILED, TiesStrategy.AVERAGE);

    private SpearmanCorrelation() {}

    public static double of(double[] x, double[] y) {
        if (x.length != y.length) {
            throw new IllegalArgumentException("samples differ in length: " + x.length + " and " + y.length);
        }
        if (x.length < 2) {
            return Double.NaN;
        }
        double rho;
        try {
            rho = new SpearmansCorrelation(RANKING).correlation(x, y);
        } catch (NotANumberException e) {
            throw new IllegalArgumentException("cannot rank NaN", e);
        }
        return Double.isNaN(rho) ? Double.NaN : Math.max(-1, Math.min(1, rho));
    }

    public static double of(float[] x, double[] y) {
        double[] d = new double[x.length];
        for (int i = 0; i < d.length; i++) {
            d[i] = x[i];
        }
        return of(d, y);
    }

    /** 1-based ranks in ascending order, ties at their average rank. NaN is not allowed. */
    public static double[] ranks(double[] v) {
        try {
            return RANKING.rank(v);
        } catch (NotANumberException e) {
            throw new IllegalArgumentException("cannot rank NaN", e);
        }
    }
}

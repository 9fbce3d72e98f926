package io.prunestream.cli.bench;

import io.prunestream.core.grading.SpearmanCorrelation;
import org.apache.commons.math3.stat.correlation.KendallsCorrelation;
import org.apache.commons.math3.stat.correlation.PearsonsCorrelation;

/** Pearson, Spearman and Kendall (tau-b, ties handled) correlation of two samples; NaN where undefined. */
record Correlations(double pearson, double spearman, double kendall) {
    static Correlations of(double[] x, double[] y) {
        return new Correlations(pearson(x, y), SpearmanCorrelation.of(x, y), kendall(x, y));
    }

    static double pearson(double[] x, double[] y) {
        return x.length < 2 ? Double.NaN : new PearsonsCorrelation().correlation(x, y);
    }

    static double kendall(double[] x, double[] y) {
        return x.length < 2 ? Double.NaN : new KendallsCorrelation().correlation(x, y);
    }
}

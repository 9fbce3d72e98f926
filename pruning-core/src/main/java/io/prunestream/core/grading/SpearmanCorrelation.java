package io.prunestream.core.grading;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * Spearman's rank correlation: the Pearson correlation of the two samples' ranks, with tied values
 * sharing the average of the ranks they span (so the formula stays exact with ties, unlike
 * {@code 1 − 6Σd²/(n(n²−1))}). Undefined, and returned as NaN, for fewer than two values or when
 * either sample is constant.
 */
public final class SpearmanCorrelation {
    private SpearmanCorrelation() {}

    public static double of(double[] x, double[] y) {
        if (x.length != y.length) {
            throw new IllegalArgumentException("samples differ in length: " + x.length + " and " + y.length);
        }
        if (x.length < 2) {
            return Double.NaN;
        }
        return pearson(ranks(x), ranks(y));
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
        for (double d : v) {
            if (Double.isNaN(d)) {
                throw new IllegalArgumentException("cannot rank NaN");
            }
        }
        Integer[] order = IntStream.range(0, v.length).boxed().toArray(Integer[]::new);
        Arrays.sort(order, Comparator.comparingDouble(i -> v[i]));
        double[] ranks = new double[v.length];
        int i = 0;
        while (i < order.length) {
            int j = i;
            while (j + 1 < order.length && v[order[j + 1]] == v[order[i]]) {
                j++;
            }
            double average = (i + j) / 2.0 + 1;
            for (int k = i; k <= j; k++) {
                ranks[order[k]] = average;
            }
            i = j + 1;
        }
        return ranks;
    }

    private static double pearson(double[] a, double[] b) {
        double ma = Arrays.stream(a).average().orElseThrow();
        double mb = Arrays.stream(b).average().orElseThrow();
        double cov = 0;
        double va = 0;
        double vb = 0;
        for (int i = 0; i < a.length; i++) {
            cov += (a[i] - ma) * (b[i] - mb);
            va += (a[i] - ma) * (a[i] - ma);
            vb += (b[i] - mb) * (b[i] - mb);
        }
        if (va == 0 || vb == 0) {
            return Double.NaN;
        }
        return Math.max(-1, Math.min(1, cov / Math.sqrt(va * vb)));
    }
}

package io.prunestream.core.importance;

import io.prunestream.core.dependency.ChannelGroup;
import io.prunestream.core.model.Tensor;

/**
 * "fpgm": filter pruning via geometric median (He et al., CVPR 2019). A filter close to the layer's
 * geometric median is well represented by the others, so it is the most redundant. The score of a
 * filter is the sum of its Euclidean distances to the other filters of the same layer, the quantity
 * the geometric median minimises: filters nearest the median score lowest and go first. Unlike norm
 * criteria this removes redundancy, not weakness.
 */
public final class FpgmCriterion implements ImportanceCriterion {
    public static final String NAME = "fpgm";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public float[] score(ChannelGroup group, ScoringContext context) {
        return GroupReduction.overProducerWeights(group, context, FpgmCriterion::distanceSums);
    }

    static double[] distanceSums(Tensor weight) {
        int n = weight.dim(0);
        int len = weight.sliceSize();
        float[] d = weight.data();
        double[] sums = new double[n];
        for (int a = 0; a < n; a++) {
            for (int b = a + 1; b < n; b++) {
                double sq = 0;
                for (int k = 0; k < len; k++) {
                    double diff = (double) d[a * len + k] - d[b * len + k];
                    sq += diff * diff;
                }
                double dist = Math.sqrt(sq);
                sums[a] += dist;
                sums[b] += dist;
            }
        }
        return sums;
    }
}

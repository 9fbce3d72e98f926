package io.prunestream.core.importance;

import ai.djl.ndarray.NDArray;
import java.util.function.UnaryOperator;

/** The mean, over every example and position of the sample, of an element-wise function of the activation. */
final class ElementMean implements SiteStatistic {
    private final UnaryOperator<NDArray> function;
    private final double[] sum;
    private long valuesPerChannel;

    ElementMean(int channels, UnaryOperator<NDArray> function) {
        this.function = function;
        this.sum = new double[channels];
    }

    @Override
    public void add(NDArray activation, NDArray gradient) {
        SiteStatistic.addInto(sum, SiteStatistic.sumOverBatchAndPositions(function.apply(activation)));
        valuesPerChannel += activation.getShape().get(0) * activation.getShape().get(2);
    }

    @Override
    public double[] perChannel() {
        double[] mean = new double[sum.length];
        for (int c = 0; c < mean.length; c++) {
            mean[c] = sum[c] / valuesPerChannel;
        }
        return mean;
    }
}

package io.prunestream.tf.parity;

import java.util.Locale;

/**
 * A package on the PyTorch engine against a SavedModel on the TensorFlow engine, on the same images.
 *
 * @param samples images compared
 * @param maxAbsDiff largest absolute difference of any output value
 * @param maxAbsOutput largest absolute output value of the package, the scale {@code maxAbsDiff} compares to
 * @param packageAccuracy top-1 accuracy of the package
 * @param savedModelAccuracy top-1 accuracy of the SavedModel
 * @param samePredictions images on which both predict the same class
 */
public record ParityReport(int samples, double maxAbsDiff, double maxAbsOutput, double packageAccuracy,
        double savedModelAccuracy, int samePredictions) {

    public boolean predictionsAgree() {
        return samePredictions == samples;
    }

    public String summary() {
        return String.format(Locale.ROOT, "%d images: max |diff| %.3g (outputs up to %.3g), accuracy %.2f%% (package, PyTorch) vs %.2f%% "
                + "(SavedModel, TensorFlow), %d differing predictions", samples, maxAbsDiff, maxAbsOutput, 100 * packageAccuracy,
                100 * savedModelAccuracy, samples - samePredictions);
    }
}

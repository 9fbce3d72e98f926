package io.prunestream.tf.convert;

import io.prunestream.core.model.Tensor;
import java.util.function.UnaryOperator;

/** How to make one package weight: read {@code source} (in TensorFlow's layout), then apply {@code layout}. */
public record WeightRecipe(TfSource source, UnaryOperator<Tensor> layout) {
    public static WeightRecipe asIs(TfSource source) {
        return new WeightRecipe(source, UnaryOperator.identity());
    }
}

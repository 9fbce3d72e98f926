package io.prunestream.tf.convert;

import io.prunestream.core.model.Tensor;
import java.util.Map;

/** Where a weight's values come from in a SavedModel: a variable (read by the runtime) or a graph constant. */
public sealed interface TfSource {
    /** Shape in TensorFlow's layout. */
    int[] shape();

    /** The values, given those of the variables; null for a variable that was not read. */
    Tensor values(Map<String, Tensor> variables);

    record Variable(String name, int[] shape) implements TfSource {
        @Override
        public Tensor values(Map<String, Tensor> variables) {
            return variables.get(name);
        }

        @Override
        public String toString() {
            return "variable '" + name + "'";
        }
    }

    record Constant(String node, float[] data, int[] shape) implements TfSource {
        @Override
        public Tensor values(Map<String, Tensor> variables) {
            return new Tensor(shape, data);
        }

        @Override
        public String toString() {
            return "constant '" + node + "'";
        }
    }
}

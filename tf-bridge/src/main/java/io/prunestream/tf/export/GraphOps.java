package io.prunestream.tf.export;

import io.prunestream.core.model.Tensor;
import java.util.List;
import java.util.function.Consumer;
import org.tensorflow.Graph;
import org.tensorflow.GraphOperationBuilder;
import org.tensorflow.Output;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.Scope;
import org.tensorflow.proto.DataType;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Adds raw ops to a graph under exact names and types. TF Java's typed API picks variants (MaxPoolV2,
 * PadV2, Add) that Keras does not emit; exported graphs use the ops a Keras SavedModel has, so that
 * PruneStream and other tools read them the same way.
 */
final class GraphOps {
    private final Graph graph;
    private final Scope scope;

    GraphOps(Graph graph) {
        this.graph = graph;
        this.scope = Ops.create(graph).scope();
    }

    Output<TFloat32> placeholder(String name, long... shape) {
        return op("Placeholder", name, List.of(), b -> b.setAttr("dtype", DataType.DT_FLOAT).setAttr("shape",
                Shape.of(shape)));
    }

    Output<TFloat32> constant(String name, Tensor t) {
        long[] dims = new long[t.rank()];
        for (int i = 0; i < dims.length; i++) {
            dims[i] = t.dim(i);
        }
        try (TFloat32 value = TFloat32.tensorOf(Shape.of(dims), DataBuffers.of(t.data(), true, false))) {
            return op("Const", name, List.of(), b -> b.setAttr("dtype", DataType.DT_FLOAT).setAttr("value", value));
        }
    }

    Output<TFloat32> scalar(String name, float v) {
        return constant(name, new Tensor(new int[0], new float[] {v}));
    }

    Output<TInt32> scalar(String name, int v) {
        try (TInt32 value = TInt32.scalarOf(v)) {
            return op("Const", name, List.of(), b -> b.setAttr("dtype", DataType.DT_INT32).setAttr("value", value));
        }
    }

    Output<TInt32> ints(String name, int... values) {
        try (TInt32 value = TInt32.vectorOf(values)) {
            return op("Const", name, List.of(), b -> b.setAttr("dtype", DataType.DT_INT32).setAttr("value", value));
        }
    }

    /** A 4 x 2 paddings constant padding height and width by {@code p} on each side. */
    Output<TInt32> spatialPaddings(String name, int p) {
        try (TInt32 value = TInt32.tensorOf(Shape.of(4, 2), DataBuffers.of(new int[] {0, 0, p, p, p, p, 0, 0}, true,
                false))) {
            return op("Const", name, List.of(), b -> b.setAttr("dtype", DataType.DT_INT32).setAttr("value", value));
        }
    }

    /** An op with the given inputs; {@code attrs} sets what TensorFlow cannot infer from them. */
    <T extends org.tensorflow.types.family.TType> Output<T> op(String type, String name, List<Output<?>> inputs,
            Consumer<GraphOperationBuilder> attrs) {
        GraphOperationBuilder b = graph.opBuilder(type, name, scope);
        inputs.forEach(b::addInput);
        attrs.accept(b);
        return b.build().output(0);
    }

    <T extends org.tensorflow.types.family.TType> Output<T> op(String type, String name, List<Output<?>> inputs) {
        return op(type, name, inputs, b -> { });
    }

    /** An op whose inputs are one list (AddN, ConcatV2's values) followed by single inputs. */
    <T extends org.tensorflow.types.family.TType> Output<T> listOp(String type, String name, List<Output<?>> list,
            List<Output<?>> rest) {
        GraphOperationBuilder b = graph.opBuilder(type, name, scope);
        b.addInputList(list.toArray(new Output<?>[0]));
        rest.forEach(b::addInput);
        return b.build().output(0);
    }
}

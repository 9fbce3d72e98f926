package io.prunestream.tf.convert;

import io.prunestream.core.model.ModelFormatException;
import io.prunestream.tf.savedmodel.FlatNode;
import io.prunestream.tf.savedmodel.FlatNode.Endpoint;
import io.prunestream.tf.savedmodel.TensorProtos;
import java.util.Arrays;
import java.util.List;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.TensorProto;

/**
 * Reads what a layer's ops carry besides activations (weights, constant operands, attributes) and
 * words every refusal the same way: the SavedModel, the node, its op and why.
 */
final class NodeReader {
    private final String source;

    NodeReader(String source) {
        this.source = source;
    }

    /** A layer's weight: a variable read through ReadVariableOp, or a constant. */
    TfSource weight(Endpoint e, String role) {
        FlatNode n = e.node();
        if (n.op().equals("ReadVariableOp") && n.input(0).node().op().equals("VarHandleOp")) {
            FlatNode handle = n.input(0).node();
            if (handle.attr("dtype").getType() != DataType.DT_FLOAT) {
                throw new ModelFormatException(source + ": variable '" + handle.name() + "' is "
                        + handle.attr("dtype").getType() + ", only float32 weights are supported");
            }
            return new TfSource.Variable(handle.name(), TensorProtos.shape(handle.attr("shape").getShape()));
        }
        if (n.op().equals("Const")) {
            TensorProto t = n.attr("value").getTensor();
            return new TfSource.Constant(n.name(), TensorProtos.floats(t, "constant '" + n.name() + "'"),
                    TensorProtos.shape(t.getTensorShape()));
        }
        throw new ModelFormatException(source + ": the " + role + " of a layer comes from '" + n
                + "'; only variables and constants are supported there");
    }

    List<Long> constInts(Endpoint e, FlatNode user, String role) {
        long[] v = TensorProtos.longs(constant(e, user, role), "'" + e.node().name() + "'");
        return Arrays.stream(v).boxed().toList();
    }

    float[] constFloats(Endpoint e, FlatNode user, String role) {
        return TensorProtos.floats(constant(e, user, role), "'" + e.node().name() + "'");
    }

    private TensorProto constant(Endpoint e, FlatNode user, String role) {
        if (!e.node().op().equals("Const")) {
            throw unsupported(user, "its " + role + " is computed by '" + e.node() + "', not constant");
        }
        return e.node().attr("value").getTensor();
    }

    /** A list-of-ints attribute, or {@code fallback} when absent (null: the attribute is required). */
    List<Long> ints(FlatNode n, String key, List<Long> fallback) {
        AttrValue v = n.attrs().get(key);
        if (v == null) {
            if (fallback == null) {
                throw unsupported(n, "attribute '" + key + "' is missing");
            }
            return fallback;
        }
        return v.getList().getIList();
    }

    boolean flag(FlatNode n, String key) {
        return n.attrs().containsKey(key) && n.attr(key).getB();
    }

    /** The height/width value of an NHWC attribute such as strides, which must be equal. */
    int spatial(FlatNode n, String key) {
        List<Long> s = ints(n, key, null);
        if (s.size() != 4 || s.get(0) != 1 || s.get(3) != 1 || !s.get(1).equals(s.get(2))) {
            throw unsupported(n, key + " " + s + "; only equal height and width values are supported");
        }
        return s.get(1).intValue();
    }

    int squareKernel(FlatNode n, int kh, int kw) {
        if (kh != kw) {
            throw unsupported(n, "a " + kh + "x" + kw + " window; only square windows are supported");
        }
        return kh;
    }

    void requireNhwc(FlatNode n) {
        AttrValue f = n.attrs().get("data_format");
        if (f != null && !f.getS().toStringUtf8().equals("NHWC")) {
            throw unsupported(n, "data format " + f.getS().toStringUtf8() + "; Keras saves NHWC");
        }
    }

    ModelFormatException unsupported(FlatNode n, String why) {
        return new ModelFormatException("cannot import " + source + ": node '" + n.name() + "' (" + n.op() + "): " + why);
    }
}

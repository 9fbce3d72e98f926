package io.prunestream.tf.savedmodel;

import io.prunestream.core.model.ModelFormatException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.function.IntToDoubleFunction;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.TensorProto;
import org.tensorflow.proto.TensorShapeProto;

/** Values of constant tensors stored in a graph ({@code Const} nodes' {@code value} attribute). */
public final class TensorProtos {
    private TensorProtos() {}

    /** Dimensions, -1 where unknown; null for an unknown rank. */
    public static int[] shape(TensorShapeProto shape) {
        if (shape.getUnknownRank()) {
            return null;
        }
        return shape.getDimList().stream().mapToInt(d -> Math.toIntExact(d.getSize())).toArray();
    }

    public static float[] floats(TensorProto t, String where) {
        if (t.getDtype() != DataType.DT_FLOAT) {
            throw new ModelFormatException(where + ": constant is " + t.getDtype() + ", only float32 is supported");
        }
        float[] out = new float[count(t)];
        if (!t.getTensorContent().isEmpty()) {
            littleEndian(t, out.length * 4L, where).asFloatBuffer().get(out);
            return out;
        }
        double[] v = repeated(out.length, t.getFloatValCount(), t::getFloatVal, where);
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) v[i];
        }
        return out;
    }

    /** Integer constants (axes, shapes, paddings) of type int32 or int64. */
    public static long[] longs(TensorProto t, String where) {
        long[] out = new long[count(t)];
        boolean packed = !t.getTensorContent().isEmpty();
        if (t.getDtype() == DataType.DT_INT32) {
            if (packed) {
                var ints = littleEndian(t, out.length * 4L, where).asIntBuffer();
                for (int i = 0; i < out.length; i++) {
                    out[i] = ints.get(i);
                }
                return out;
            }
            return toLongs(repeated(out.length, t.getIntValCount(), t::getIntVal, where));
        }
        if (t.getDtype() == DataType.DT_INT64) {
            if (packed) {
                littleEndian(t, out.length * 8L, where).asLongBuffer().get(out);
                return out;
            }
            return toLongs(repeated(out.length, t.getInt64ValCount(), i -> t.getInt64Val(i), where));
        }
        throw new ModelFormatException(where + ": expected an integer constant, found " + t.getDtype());
    }

    private static int count(TensorProto t) {
        long n = 1;
        for (TensorShapeProto.Dim d : t.getTensorShape().getDimList()) {
            n *= d.getSize();
        }
        return Math.toIntExact(n);
    }

    private static ByteBuffer littleEndian(TensorProto t, long expected, String where) {
        if (t.getTensorContent().size() != expected) {
            throw new ModelFormatException(where + ": constant holds " + t.getTensorContent().size() + " bytes, its shape "
                    + "needs " + expected);
        }
        return t.getTensorContent().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
    }

    /** The repeated-field encoding may list fewer values than elements; the last one repeats (TensorFlow's rule). */
    private static double[] repeated(int n, int given, IntToDoubleFunction value, String where) {
        if (given > n) {
            throw new ModelFormatException(where + ": constant lists " + given + " values for " + n + " elements");
        }
        double[] out = new double[n];
        for (int i = 0; i < n && given > 0; i++) {
            out[i] = value.applyAsDouble(Math.min(i, given - 1));
        }
        return out;
    }

    private static long[] toLongs(double[] v) {
        long[] out = new long[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = (long) v[i];
        }
        return out;
    }
}

package io.prunestream.core.model;

import java.util.Arrays;

/**
 * A dense float32 tensor held on the Java heap. Weights live here rather than in NDArrays so that
 * packages, surgery and validation need no native engine and leak no native memory; the executor
 * copies them onto the engine's device when it builds a block.
 */
public final class Tensor {
    private final int[] shape;
    private final float[] data;

    public Tensor(int[] shape, float[] data) {
        long n = numel(shape);
        if (n != data.length) {
            throw new IllegalArgumentException(
                    "shape " + Arrays.toString(shape) + " needs " + n + " values, got " + data.length);
        }
        this.shape = shape.clone();
        this.data = data;
    }

    public static Tensor zeros(int... shape) {
        return new Tensor(shape, new float[Math.toIntExact(numel(shape))]);
    }

    public static Tensor filled(float value, int... shape) {
        float[] d = new float[Math.toIntExact(numel(shape))];
        Arrays.fill(d, value);
        return new Tensor(shape, d);
    }

    public static long numel(int[] shape) {
        long n = 1;
        for (int s : shape) {
            if (s < 0) {
                throw new IllegalArgumentException("negative dimension in " + Arrays.toString(shape));
            }
            n *= s;
        }
        return n;
    }

    public int[] shape() {
        return shape.clone();
    }

    public int dim(int axis) {
        return shape[axis];
    }

    public int rank() {
        return shape.length;
    }

    /** The backing array, not a copy: callers that mutate it own the tensor. */
    public float[] data() {
        return data;
    }

    public int size() {
        return data.length;
    }

    public Tensor copy() {
        return new Tensor(shape, data.clone());
    }

    /** Number of values in one slice along axis 0 (a filter, a row). */
    public int sliceSize() {
        return shape.length == 0 || shape[0] == 0 ? 0 : data.length / shape[0];
    }

    /** The values of slice {@code i} along axis 0, as a copy. */
    public float[] slice0(int i) {
        int s = sliceSize();
        return Arrays.copyOfRange(data, i * s, (i + 1) * s);
    }

    /** Keeps the given indices (in order) along {@code axis}. */
    public Tensor select(int axis, int[] keep) {
        int outer = 1;
        for (int a = 0; a < axis; a++) {
            outer *= shape[a];
        }
        int inner = 1;
        for (int a = axis + 1; a < shape.length; a++) {
            inner *= shape[a];
        }
        int dimIn = shape[axis];
        int[] newShape = shape.clone();
        newShape[axis] = keep.length;
        float[] out = new float[outer * keep.length * inner];
        int o = 0;
        for (int a = 0; a < outer; a++) {
            int base = a * dimIn * inner;
            for (int k : keep) {
                System.arraycopy(data, base + k * inner, out, o, inner);
                o += inner;
            }
        }
        return new Tensor(newShape, out);
    }

    /** Index of the first NaN or infinite value, or -1. */
    public int firstNonFinite() {
        for (int i = 0; i < data.length; i++) {
            if (!Float.isFinite(data[i])) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Tensor t && Arrays.equals(shape, t.shape) && Arrays.equals(data, t.data);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(shape) + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "Tensor" + Arrays.toString(shape);
    }
}

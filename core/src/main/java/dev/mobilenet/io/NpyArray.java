package dev.mobilenet.io;

import dev.mobilenet.MobileNetException;
import dev.mobilenet.tensor.Tensor;
import java.util.Arrays;
import java.util.Objects;

/**
 * An array read from or written to a {@code .npy} file: either float32 ({@code floats} set) or int64
 * ({@code longs} set), row-major with the given shape. Arrays are shared, not copied, except the shape.
 */
public record NpyArray(String dtype, int[] shape, float[] floats, long[] longs) {
    public static final String FLOAT32 = "float32";
    public static final String INT64 = "int64";

    public NpyArray {
        Objects.requireNonNull(dtype, "dtype");
        shape = shape.clone();
        long n = Tensor.numel(shape);
        if (FLOAT32.equals(dtype)) {
            if (floats == null || longs != null) {
                throw new IllegalArgumentException("float32 array needs floats and no longs");
            }
            if (floats.length != n) {
                throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " needs " + n + " values, got " + floats.length);
            }
        } else if (INT64.equals(dtype)) {
            if (longs == null || floats != null) {
                throw new IllegalArgumentException("int64 array needs longs and no floats");
            }
            if (longs.length != n) {
                throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " needs " + n + " values, got " + longs.length);
            }
        } else {
            throw new IllegalArgumentException("dtype must be float32 or int64, got " + dtype);
        }
    }

    /** A float32 array sharing the tensor's data. */
    public static NpyArray of(Tensor t) {
        return new NpyArray(FLOAT32, t.shape(), t.data(), null);
    }

    /** An int64 array. */
    public static NpyArray ofLong(int[] shape, long[] data) {
        return new NpyArray(INT64, shape, null, data);
    }

    public boolean isFloat() {
        return floats != null;
    }

    /** Number of elements. */
    public int size() {
        return floats != null ? floats.length : longs.length;
    }

    /** The shape (a copy). */
    @Override
    public int[] shape() {
        return shape.clone();
    }

    /** This array as a tensor sharing its data; fails for int64 arrays. */
    public Tensor toTensor() {
        return toTensor("array");
    }

    /**
     * Like {@link #toTensor()}, naming the array in the error, e.g. {@code "w.npz: member 'x'"}.
     */
    public Tensor toTensor(String name) {
        if (floats == null) {
            throw new MobileNetException(name + ": dtype " + dtype + " " + IoSupport.pyShape(shape)
                    + " where float32 is needed");
        }
        return new Tensor(shape, floats);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NpyArray a && dtype.equals(a.dtype) && Arrays.equals(shape, a.shape)
                && Arrays.equals(floats, a.floats) && Arrays.equals(longs, a.longs);
    }

    @Override
    public int hashCode() {
        return Objects.hash(dtype, Arrays.hashCode(shape), Arrays.hashCode(floats), Arrays.hashCode(longs));
    }

    @Override
    public String toString() {
        return "NpyArray[" + dtype + " " + IoSupport.pyShape(shape) + "]";
    }
}

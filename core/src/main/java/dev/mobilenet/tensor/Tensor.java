package dev.mobilenet.tensor;

import java.util.Arrays;

/**
 * A dense float32 array with a shape, stored row-major in a flat {@code float[]}.
 * Image batches are NCHW. The array is shared, not copied: callers that hand a tensor out keep
 * ownership rules simple by never mutating it afterwards.
 */
public final class Tensor {
    private final int[] shape;
    private final float[] data;

    public Tensor(int[] shape, float[] data) {
        this.shape = shape.clone();
        long n = numel(this.shape);
        if (n != data.length) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " needs " + n
                    + " values, got " + data.length);
        }
        this.data = data;
    }

    public static Tensor zeros(int... shape) {
        long n = numel(shape);
        if (n > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("tensor too large: " + Arrays.toString(shape));
        }
        return new Tensor(shape, new float[(int) n]);
    }

    /** Number of elements for a shape; throws on negative dimensions. */
    public static long numel(int[] shape) {
        long n = 1;
        for (int d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension in " + Arrays.toString(shape));
            }
            n = Math.multiplyExact(n, (long) d);
        }
        return n;
    }

    public int[] shape() {
        return shape.clone();
    }

    public int rank() {
        return shape.length;
    }

    public int dim(int i) {
        return shape[i];
    }

    public int size() {
        return data.length;
    }

    public float[] data() {
        return data;
    }

    public String shapeString() {
        if (shape.length == 0) {
            return "() (a 0-d scalar)";
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < shape.length; i++) {
            if (i > 0) {
                sb.append('x');
            }
            sb.append(shape[i]);
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return "Tensor[" + shapeString() + "]";
    }
}

package dev.mobilenet.nn;

/**
 * Convolution padding: PyTorch's fixed symmetric padding, or TensorFlow's "SAME", whose split depends on the
 * input size and puts the odd pixel at the bottom/right. As timm does, SAME becomes fixed symmetric padding when
 * stride is 1 and the kernel is odd, because both rules then agree for every input size.
 */
public record Padding(boolean same, int pad) {

    /** timm's padding for {@code pad_type=''}: {@code ((stride - 1) + dilation * (k - 1)) // 2}. */
    public static Padding pytorch(int kernel, int stride, int dilation) {
        return new Padding(false, ((stride - 1) + dilation * (kernel - 1)) / 2);
    }

    /** timm's padding for {@code pad_type='same'}. */
    public static Padding tfSame(int kernel, int stride, int dilation) {
        if (stride == 1 && (dilation * (kernel - 1)) % 2 == 0) {
            return new Padding(false, (dilation * (kernel - 1)) / 2);
        }
        return new Padding(true, 0);
    }

    /** Padding before (top or left) for an input extent. */
    public int before(int in, int kernel, int stride, int dilation) {
        return same ? total(in, kernel, stride, dilation) / 2 : pad;
    }

    /** Padding after (bottom or right) for an input extent. */
    public int after(int in, int kernel, int stride, int dilation) {
        if (!same) {
            return pad;
        }
        int t = total(in, kernel, stride, dilation);
        return t - t / 2;
    }

    public int outSize(int in, int kernel, int stride, int dilation) {
        int padded = in + before(in, kernel, stride, dilation) + after(in, kernel, stride, dilation);
        return (padded - dilation * (kernel - 1) - 1) / stride + 1;
    }

    private static int total(int in, int kernel, int stride, int dilation) {
        int out = (in + stride - 1) / stride;
        return Math.max((out - 1) * stride + (kernel - 1) * dilation + 1 - in, 0);
    }

    public String describe() {
        return same ? "same" : Integer.toString(pad);
    }
}

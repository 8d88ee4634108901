package dev.mobilenet.kernels;

/**
 * The spatial geometry of one convolution at one input size: input h x w, kernel k, stride, dilation, the
 * padding before (top, left; the padding after is implied by the output size) and the output oh x ow.
 */
public record ConvGeom(int h, int w, int k, int stride, int dilation, int padTop, int padLeft, int oh, int ow) {
    /** First output column whose taps all fall inside the input. */
    int interiorX0() {
        return (padLeft + stride - 1) / stride;
    }

    /** One past the last output column whose taps all fall inside the input (may be below interiorX0). */
    int interiorX1() {
        int last = w - 1 - (k - 1) * dilation + padLeft;
        return last < 0 ? 0 : Math.min(ow, last / stride + 1);
    }

    /** The first kernel row whose input row, for output row {@code oy}, lies inside the input. */
    public int firstTapY(int oy) {
        return firstTap(oy * stride - padTop);
    }

    /** One past the last kernel row whose input row, for output row {@code oy}, lies inside the input. */
    public int endTapY(int oy) {
        return endTap(oy * stride - padTop, h);
    }

    /** {@link #firstTapY} for output column {@code ox}. */
    public int firstTapX(int ox) {
        return firstTap(ox * stride - padLeft);
    }

    /** {@link #endTapY} for output column {@code ox}. */
    public int endTapX(int ox) {
        return endTap(ox * stride - padLeft, w);
    }

    /** The first kernel tap reading inside the input when tap 0 reads at {@code start} (negative: in the padding). */
    int firstTap(int start) {
        return start >= 0 ? 0 : (dilation - 1 - start) / dilation;
    }

    /** One past the last kernel tap reading inside an input side of {@code size} when tap 0 reads at {@code start}. */
    int endTap(int start, int size) {
        int n = size - start;
        return n <= 0 ? 0 : Math.min(k, (n - 1) / dilation + 1);
    }
}

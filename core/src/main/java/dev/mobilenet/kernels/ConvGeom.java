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
}

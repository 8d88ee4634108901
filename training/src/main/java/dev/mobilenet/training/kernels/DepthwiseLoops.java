package dev.mobilenet.training.kernels;

/**
 * The depthwise loops both {@link BackpropKernels} twins share: channel by channel, tap by tap over the valid output
 * range of each row (so the row kernels need no bounds tests), taps in (ky, kx) order. A twin supplies what happens
 * to one output row for one tap.
 */
abstract sealed class DepthwiseLoops implements BackpropKernels permits ScalarBackprop, VectorBackprop {

    /** out[orow + ox] += in[row + ox * stride] * wv for ox in [ox0, ox1). */
    abstract void forwardRow(float[] out, int orow, float[] in, int row, float wv, int stride, int ox0, int ox1);

    /**
     * Returns gw plus the sum over ox in [ox0, ox1) of dOut[orow + ox] * in[row + ox * stride]; when dIn is
     * non-null, dIn[row + ox * stride] += dOut[orow + ox] * wv as well.
     */
    abstract float backwardRow(float gw, float[] dIn, float[] dOut, int orow, float[] in, int row, float wv,
                               int stride, int ox0, int ox1, float[] scratch);

    /** Floats of a vector's lanes, for the lane sums of the weight gradient. */
    static final int LANES_SCRATCH = 16;

    @Override
    public long depthwiseScratch(int k, int stride, int dilation, int oh, int ow) {
        return LANES_SCRATCH;
    }

    @Override
    public void depthwiseForward(float[] out, int outOff, float[] in, int inOff, float[] w, int channels,
                                 int h, int wd, int k, int stride, int dilation, int padTop, int padLeft,
                                 int oh, int ow, float[] scratch) {
        java.util.Arrays.fill(out, outOff, outOff + channels * oh * ow, 0f);
        taps(false, out, outOff, in, inOff, w, null, null, 0, channels, h, wd, k, stride, dilation, padTop, padLeft,
                oh, ow, scratch);
    }

    @Override
    public void depthwiseBackward(float[] dIn, float[] dW, int dWOff, float[] dOut, int outOff, float[] in,
                                  int inOff, float[] w, int channels, int h, int wd, int k, int stride,
                                  int dilation, int padTop, int padLeft, int oh, int ow, float[] scratch) {
        taps(true, dOut, outOff, in, inOff, w, dIn, dW, dWOff, channels, h, wd, k, stride, dilation, padTop, padLeft,
                oh, ow, scratch);
    }

    /**
     * Every (channel, tap, output row) in order: the forward adds into {@code out}; the backward reads it as dOut,
     * adds into dIn (when non-null) and sums each tap's weight gradient into dW.
     */
    private void taps(boolean backward, float[] out, int outOff, float[] in, int inOff, float[] w, float[] dIn,
                      float[] dW, int dWOff, int channels, int h, int wd, int k, int stride, int dilation, int padTop,
                      int padLeft, int oh, int ow, float[] scratch) {
        for (int c = 0; c < channels; c++) {
            int ip = inOff + c * h * wd;
            int op = outOff + c * oh * ow;
            int wp = c * k * k;
            for (int ky = 0; ky < k; ky++) {
                int oy0 = TrainKernels.firstValid(padTop, ky * dilation, stride);
                int oy1 = TrainKernels.lastValid(padTop, ky * dilation, stride, h, oh);
                for (int kx = 0; kx < k; kx++) {
                    float wv = w[wp + ky * k + kx];
                    int ox0 = TrainKernels.firstValid(padLeft, kx * dilation, stride);
                    int ox1 = TrainKernels.lastValid(padLeft, kx * dilation, stride, wd, ow);
                    float gw = 0f;
                    for (int oy = oy0; oy < oy1; oy++) {
                        int row = ip + (oy * stride - padTop + ky * dilation) * wd - padLeft + kx * dilation;
                        if (backward) {
                            gw = backwardRow(gw, dIn, out, op + oy * ow, in, row, wv, stride, ox0, ox1, scratch);
                        } else {
                            forwardRow(out, op + oy * ow, in, row, wv, stride, ox0, ox1);
                        }
                    }
                    if (backward) {
                        dW[dWOff + wp + ky * k + kx] += gw;
                    }
                }
            }
        }
    }
}

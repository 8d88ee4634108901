package dev.mobilenet.kernels;

/**
 * Test oracles: plain-Java CHW reference kernels for a single image (direct convolution, depthwise, point-wise,
 * pooling, channel scaling), the independent reference the engine's HWC kernels are tested against.
 */
public final class ScalarKernels {
    private ScalarKernels() {
    }

    /**
     * 1x1 convolution, stride 1, one group: {@code out[co][p] = bias[co] + sum_ci w[co][ci] * in[ci][p]}.
     *
     * @param w    weights [cout][cin]
     * @param bias per-output bias, or null
     * @param hw   number of spatial positions
     */
    public static void pointwiseForward(float[] out, int outOff, float[] in, int inOff, float[] w, float[] bias,
                                        int cin, int cout, int hw) {
        for (int co = 0; co < cout; co++) {
            int o = outOff + co * hw;
            float b = bias == null ? 0f : bias[co];
            for (int p = 0; p < hw; p++) {
                out[o + p] = b;
            }
            for (int ci = 0; ci < cin; ci++) {
                float wv = w[co * cin + ci];
                int x = inOff + ci * hw;
                for (int p = 0; p < hw; p++) {
                    out[o + p] += wv * in[x + p];
                }
            }
        }
    }

    /**
     * Depthwise convolution (groups == channels, one filter per channel) with explicit top/left padding;
     * positions outside the input read as zero, which also covers asymmetric bottom/right padding.
     *
     * @param w       weights [c][k][k]
     * @param scratch at least {@link Kernels#depthwiseScratch} floats; the vector twin uses it, this one does not
     */
    public static void depthwiseForward(float[] out, int outOff, float[] in, int inOff, float[] w, float[] bias,
                                        int c, int h, int wd, int k, int stride, int dilation,
                                        int padTop, int padLeft, int oh, int ow, float[] scratch) {
        for (int ch = 0; ch < c; ch++) {
            int ib = inOff + ch * h * wd;
            int ob = outOff + ch * oh * ow;
            int wb = ch * k * k;
            float b = bias == null ? 0f : bias[ch];
            for (int oy = 0; oy < oh; oy++) {
                for (int ox = 0; ox < ow; ox++) {
                    out[ob + oy * ow + ox] = depthwiseAt(in, ib, w, wb, b, h, wd, k, stride, dilation,
                            padTop, padLeft, oy, ox);
                }
            }
        }
    }

    /**
     * One depthwise output pixel: {@code b} plus the k*k taps of one input plane, in row-major tap order; taps that
     * fall in the padding read as zero. The general convolution sums its input channels through it.
     */
    static float depthwiseAt(float[] in, int ib, float[] w, int wb, float b, int h, int wd, int k, int stride,
                             int dilation, int padTop, int padLeft, int oy, int ox) {
        float acc = b;
        for (int ky = 0; ky < k; ky++) {
            int iy = oy * stride - padTop + ky * dilation;
            if (iy < 0 || iy >= h) {
                continue;
            }
            for (int kx = 0; kx < k; kx++) {
                int ix = ox * stride - padLeft + kx * dilation;
                if (ix < 0 || ix >= wd) {
                    continue;
                }
                acc += w[wb + ky * k + kx] * in[ib + iy * wd + ix];
            }
        }
        return acc;
    }

    /**
     * General grouped 2-D convolution (square kernel), the reference for every other conv kernel.
     *
     * @param w weights [cout][cin/groups][k][k]
     */
    public static void convForward(float[] out, int outOff, float[] in, int inOff, float[] w, float[] bias,
                                   int cin, int cout, int groups, int h, int wd, int k, int stride, int dilation,
                                   int padTop, int padLeft, int oh, int ow) {
        int cinG = cin / groups;
        int coutG = cout / groups;
        for (int co = 0; co < cout; co++) {
            int g = co / coutG;
            float b = bias == null ? 0f : bias[co];
            int ob = outOff + co * oh * ow;
            for (int oy = 0; oy < oh; oy++) {
                for (int ox = 0; ox < ow; ox++) {
                    float acc = b;
                    for (int ci = 0; ci < cinG; ci++) {
                        int ib = inOff + (g * cinG + ci) * h * wd;
                        int wb = ((co * cinG) + ci) * k * k;
                        acc = depthwiseAt(in, ib, w, wb, acc, h, wd, k, stride, dilation, padTop, padLeft, oy, ox);
                    }
                    out[ob + oy * ow + ox] = acc;
                }
            }
        }
    }

    /** Mean over each channel's spatial positions: out[c] = mean(in[c][:]). */
    public static void globalAvgPoolForward(float[] out, int outOff, float[] in, int inOff, int c, int hw) {
        for (int ch = 0; ch < c; ch++) {
            double s = 0.0;
            int b = inOff + ch * hw;
            for (int p = 0; p < hw; p++) {
                s += in[b + p];
            }
            out[outOff + ch] = (float) (s / hw);
        }
    }

    /** Multiplies each channel by its gate: x[c][p] *= gate[c]. */
    public static void channelScaleForward(float[] x, int off, float[] gate, int gateOff, int c, int hw) {
        for (int ch = 0; ch < c; ch++) {
            float g = gate[gateOff + ch];
            int b = off + ch * hw;
            for (int p = 0; p < hw; p++) {
                x[b + p] *= g;
            }
        }
    }
}

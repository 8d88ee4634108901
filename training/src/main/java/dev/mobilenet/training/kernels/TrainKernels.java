package dev.mobilenet.training.kernels;

import dev.mobilenet.kernels.Activation;
import dev.mobilenet.kernels.Kernels;

/**
 * The training engine's kernels: train-mode forward pieces and their backward passes, over NCHW float arrays.
 * Outputs first, sizes explicit, no allocation. The ones with a Vector API twin ({@link BackpropKernels}) forward to
 * the implementation chosen once at start-up; the rest are plain Java. Gradient outputs named {@code d*} are accumulated (+=) unless the
 * method says it overwrites. PyTorch's conventions at activation kinks are followed exactly (see
 * {@link #activationGrad}).
 */
public final class TrainKernels {
    private TrainKernels() {
    }

    private static final BackpropKernels IMPL = Kernels.vectorized() ? new VectorBackprop() : ScalarBackprop.INSTANCE;

    // ---- matrix products (row-major) ----

    /** {@link BackpropKernels#gemm}. */
    public static void gemm(float[] c, int cOff, float[] a, int aOff, float[] b, int bOff, int m, int n, int k,
                            boolean accumulate) {
        IMPL.gemm(c, cOff, a, aOff, b, bOff, m, n, k, accumulate);
    }

    /** {@link BackpropKernels#gemmTN}. */
    public static void gemmTN(float[] c, int cOff, float[] a, int aOff, float[] b, int bOff, int m, int n, int k,
                              boolean accumulate) {
        IMPL.gemmTN(c, cOff, a, aOff, b, bOff, m, n, k, accumulate);
    }





    /** out[P,R] = transpose of in[R,P] (read from inOff). */
    public static void transpose(float[] out, float[] in, int inOff, int rows, int cols) {
        final int b = 32;
        for (int r0 = 0; r0 < rows; r0 += b) {
            int r1 = Math.min(rows, r0 + b);
            for (int c0 = 0; c0 < cols; c0 += b) {
                int c1 = Math.min(cols, c0 + b);
                for (int r = r0; r < r1; r++) {
                    int src = inOff + r * cols;
                    for (int c = c0; c < c1; c++) {
                        out[c * rows + r] = in[src + c];
                    }
                }
            }
        }
    }

    // ---- convolution pieces (one image, one group) ----

    /**
     * Unfolds channels [c0, c0 + channels) of one image into col[channels * k * k][oh * ow] (zero outside the
     * image); padTop/padLeft may differ from bottom/right (TF SAME).
     */
    public static void im2col(float[] col, float[] in, int inOff, int channels, int h, int w, int k, int stride,
                              int dilation, int padTop, int padLeft, int oh, int ow) {
        unfold(in, inOff, col, channels, h, w, k, stride, dilation, padTop, padLeft, oh, ow, false);
    }

    /** The adjoint of {@link #im2col}: adds col back into the image gradient dIn. */
    public static void col2imAdd(float[] dIn, int inOff, float[] col, int channels, int h, int w, int k, int stride,
                                 int dilation, int padTop, int padLeft, int oh, int ow) {
        unfold(dIn, inOff, col, channels, h, w, k, stride, dilation, padTop, padLeft, oh, ow, true);
    }

    /** im2col ({@code addBack} false: col = the image's taps) or its adjoint (true: image += col), one index map. */
    private static void unfold(float[] image, int imageOff, float[] col, int channels, int h, int w, int k,
                               int stride, int dilation, int padTop, int padLeft, int oh, int ow, boolean addBack) {
        int p = oh * ow;
        for (int c = 0; c < channels; c++) {
            int plane = imageOff + c * h * w;
            for (int ky = 0; ky < k; ky++) {
                for (int kx = 0; kx < k; kx++) {
                    int row = ((c * k + ky) * k + kx) * p;
                    for (int oy = 0; oy < oh; oy++) {
                        int iy = oy * stride - padTop + ky * dilation;
                        int cr = row + oy * ow;
                        if (iy < 0 || iy >= h) {
                            if (!addBack) {
                                java.util.Arrays.fill(col, cr, cr + ow, 0f);
                            }
                            continue;
                        }
                        int ir = plane + iy * w;
                        for (int ox = 0; ox < ow; ox++) {
                            int ix = ox * stride - padLeft + kx * dilation;
                            boolean inside = ix >= 0 && ix < w;
                            if (addBack) {
                                if (inside) {
                                    image[ir + ix] += col[cr + ox];
                                }
                            } else {
                                col[cr + ox] = inside ? image[ir + ix] : 0f;
                            }
                        }
                    }
                }
            }
        }
    }

    /** First output column whose tap kx reads inside the row: ox * stride - pad + kx * dilation >= 0. */
    static int firstValid(int pad, int tap, int stride) {
        return Math.max(0, -Math.floorDiv(tap - pad, stride));
    }

    /** One past the last output column whose tap reads inside a row of {@code extent} pixels. */
    static int lastValid(int pad, int tap, int stride, int extent, int outExtent) {
        return Math.min(outExtent, Math.floorDiv(extent - 1 + pad - tap, stride) + 1);
    }



    /** sum over ox in [ox0, ox1) of a[aRow + ox] * b[bRow + ox * stride], in four interleaved partial sums. */
    static float rowDot(float[] a, int aRow, float[] b, int bRow, int stride, int ox0, int ox1) {
        float s0 = 0f;
        float s1 = 0f;
        float s2 = 0f;
        float s3 = 0f;
        int ox = ox0;
        for (; ox + 3 < ox1; ox += 4) {
            s0 += a[aRow + ox] * b[bRow + ox * stride];
            s1 += a[aRow + ox + 1] * b[bRow + (ox + 1) * stride];
            s2 += a[aRow + ox + 2] * b[bRow + (ox + 2) * stride];
            s3 += a[aRow + ox + 3] * b[bRow + (ox + 3) * stride];
        }
        for (; ox < ox1; ox++) {
            s0 += a[aRow + ox] * b[bRow + ox * stride];
        }
        return (s0 + s1) + (s2 + s3);
    }



    /** {@link BackpropKernels#depthwiseForward}. */
    public static void depthwiseForward(float[] out, int outOff, float[] in, int inOff, float[] w, int channels,
                                        int h, int wd, int k, int stride, int dilation, int padTop, int padLeft,
                                        int oh, int ow, float[] scratch) {
        IMPL.depthwiseForward(out, outOff, in, inOff, w, channels, h, wd, k, stride, dilation, padTop, padLeft, oh,
                ow, scratch);
    }

    /** {@link BackpropKernels#depthwiseBackward}. */
    public static void depthwiseBackward(float[] dIn, float[] dW, int dWOff, float[] dOut, int outOff, float[] in,
                                         int inOff, float[] w, int channels, int h, int wd, int k, int stride,
                                         int dilation, int padTop, int padLeft, int oh, int ow, float[] scratch) {
        IMPL.depthwiseBackward(dIn, dW, dWOff, dOut, outOff, in, inOff, w, channels, h, wd, k, stride, dilation,
                padTop, padLeft, oh, ow, scratch);
    }

    /** Scratch floats {@link #depthwiseForward} and {@link #depthwiseBackward} need for one image. */
    public static long depthwiseScratch(int k, int stride, int dilation, int oh, int ow) {
        return IMPL.depthwiseScratch(k, stride, dilation, oh, ow);
    }

    // ---- BatchNorm (train mode) ----

    /**
     * Batch statistics per channel over N x HW: mean and the biased variance (accumulated in double), and
     * invStd = 1 / sqrt(var + eps).
     */
    public static void batchNormStats(float[] mean, float[] var, float[] invStd, float[] x, int n, int c, int hw,
                                      double eps) {
        batchNormStats(mean, var, invStd, x, n, c, hw, eps, 0, c);
    }

    /** {@link #batchNormStats} for channels [c0, c1). */
    public static void batchNormStats(float[] mean, float[] var, float[] invStd, float[] x, int n, int c, int hw,
                                      double eps, int c0, int c1) {
        double count = (double) n * hw;
        for (int ch = c0; ch < c1; ch++) {
            double s = 0;
            for (int i = 0; i < n; i++) {
                s += planeSum(x, (i * c + ch) * hw, hw);
            }
            double m = s / count;
            double v = 0;
            for (int i = 0; i < n; i++) {
                v += planeSquares(x, (i * c + ch) * hw, hw, m);
            }
            v /= count;
            mean[ch] = (float) m;
            var[ch] = (float) v;
            invStd[ch] = (float) (1.0 / Math.sqrt(v + eps));
        }
    }

    /** The sum of x[off..off+len) in double, in four interleaved partial sums (a fixed order). */
    static double planeSum(float[] x, int off, int len) {
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        int j = off;
        int end = off + len;
        for (; j + 3 < end; j += 4) {
            s0 += x[j];
            s1 += x[j + 1];
            s2 += x[j + 2];
            s3 += x[j + 3];
        }
        for (; j < end; j++) {
            s0 += x[j];
        }
        return (s0 + s1) + (s2 + s3);
    }

    /** The sum of (x - m)^2 over x[off..off+len) in double, in four interleaved partial sums. */
    static double planeSquares(float[] x, int off, int len, double m) {
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        int j = off;
        int end = off + len;
        for (; j + 3 < end; j += 4) {
            double d0 = x[j] - m;
            double d1 = x[j + 1] - m;
            double d2 = x[j + 2] - m;
            double d3 = x[j + 3] - m;
            s0 += d0 * d0;
            s1 += d1 * d1;
            s2 += d2 * d2;
            s3 += d3 * d3;
        }
        for (; j < end; j++) {
            double d = x[j] - m;
            s0 += d * d;
        }
        return (s0 + s1) + (s2 + s3);
    }

    /** y = (x - mean) * invStd * gamma + beta, per channel (also the eval form with running stats). */
    public static void batchNormApply(float[] y, float[] x, float[] mean, float[] invStd, float[] gamma,
                                      float[] beta, int n, int c, int hw) {
        batchNormApply(y, x, mean, invStd, gamma, beta, n, c, hw, 0, c);
    }

    /** {@link #batchNormApply} for channels [c0, c1). */
    public static void batchNormApply(float[] y, float[] x, float[] mean, float[] invStd, float[] gamma,
                                      float[] beta, int n, int c, int hw, int c0, int c1) {
        for (int i = 0; i < n; i++) {
            for (int ch = c0; ch < c1; ch++) {
                int off = (i * c + ch) * hw;
                float sc = invStd[ch] * gamma[ch];
                float sh = beta[ch] - mean[ch] * sc;
                for (int j = 0; j < hw; j++) {
                    y[off + j] = x[off + j] * sc + sh;
                }
            }
        }
    }

    /**
     * PyTorch's running-stat update: r = (1 - m) r + m * batch, with the unbiased variance (count / (count - 1)).
     */
    public static void batchNormRunning(float[] runningMean, float[] runningVar, float[] mean, float[] var, int c,
                                        long count, double momentum) {
        double unbias = count > 1 ? (double) count / (count - 1) : 1.0;
        for (int ch = 0; ch < c; ch++) {
            runningMean[ch] = (float) ((1 - momentum) * runningMean[ch] + momentum * mean[ch]);
            runningVar[ch] = (float) ((1 - momentum) * runningVar[ch] + momentum * var[ch] * unbias);
        }
    }

    /**
     * Train-mode BatchNorm backward. dGamma/dBeta are accumulated; dx is accumulated too. Uses
     * dx = gamma * invStd / M * (M * dy - sum(dy) - xhat * sum(dy * xhat)).
     */
    public static void batchNormBackward(float[] dx, float[] dGamma, float[] dBeta, float[] dy, float[] x,
                                         float[] mean, float[] invStd, float[] gamma, int n, int c, int hw) {
        batchNormBackward(dx, dGamma, dBeta, dy, x, mean, invStd, gamma, n, c, hw, 0, c);
    }

    /** {@link #batchNormBackward} for channels [c0, c1). */
    public static void batchNormBackward(float[] dx, float[] dGamma, float[] dBeta, float[] dy, float[] x,
                                         float[] mean, float[] invStd, float[] gamma, int n, int c, int hw, int c0,
                                         int c1) {
        double count = (double) n * hw;
        for (int ch = c0; ch < c1; ch++) {
            double sdy = 0;
            double sdyx = 0;
            float m = mean[ch];
            float is = invStd[ch];
            for (int i = 0; i < n; i++) {
                int off = (i * c + ch) * hw;
                sdy += planeSum(dy, off, hw);
                sdyx += planeDotXhat(dy, x, off, hw, m, is);
            }
            if (dGamma != null) {
                dGamma[ch] += (float) sdyx;
                dBeta[ch] += (float) sdy;
            }
            if (dx == null) {
                continue;
            }
            float k = gamma[ch] * is;
            float a = (float) (sdy / count);
            float b = (float) (sdyx / count);
            for (int i = 0; i < n; i++) {
                int off = (i * c + ch) * hw;
                for (int j = 0; j < hw; j++) {
                    float xh = (x[off + j] - m) * is;
                    dx[off + j] += k * (dy[off + j] - a - xh * b);
                }
            }
        }
    }

    /** The sum of dy * ((x - m) * is) over [off, off+len) in double, in four interleaved partial sums. */
    static double planeDotXhat(float[] dy, float[] x, int off, int len, float m, float is) {
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        int j = off;
        int end = off + len;
        for (; j + 3 < end; j += 4) {
            s0 += dy[j] * ((x[j] - m) * is);
            s1 += dy[j + 1] * ((x[j + 1] - m) * is);
            s2 += dy[j + 2] * ((x[j + 2] - m) * is);
            s3 += dy[j + 3] * ((x[j + 3] - m) * is);
        }
        for (; j < end; j++) {
            s0 += dy[j] * ((x[j] - m) * is);
        }
        return (s0 + s1) + (s2 + s3);
    }

    /** Eval-mode BatchNorm backward (running stats are constants): dx += dy * gamma * invStd. */
    public static void batchNormEvalBackward(float[] dx, float[] dy, float[] invStd, float[] gamma, int n, int c,
                                             int hw) {
        for (int i = 0; i < n; i++) {
            for (int ch = 0; ch < c; ch++) {
                int off = (i * c + ch) * hw;
                float k = gamma[ch] * invStd[ch];
                for (int j = 0; j < hw; j++) {
                    dx[off + j] += dy[off + j] * k;
                }
            }
        }
    }

    // ---- activations ----

    /** out[i] = act(x[i]) for {@code len} values from offset 0. */
    public static void activationForward(float[] out, float[] x, int len, Activation act) {
        activationForward(out, x, 0, len, act);
    }

    /** {@code out[i] = act(x[i])} for i in [from, to). */
    public static void activationForward(float[] out, float[] x, int from, int to, Activation act) {
        IMPL.activationForward(out, x, from, to, act);
    }


    /**
     * dIn[i] = dOut[i] * act'(x[i]) (overwrites), with PyTorch's values at the kinks: ReLU's threshold_backward
     * (0 at x = 0), ReLU6 as hardtanh(0, 6) (0 at exactly 0 and 6), hardswish_backward (x / 3 + 0.5 on
     * [-3, 3], 0 below -3, 1 above 3), hardsigmoid_backward (1/6 on the open interval (-3, 3), else 0).
     */
    public static void activationBackward(float[] dIn, float[] dOut, float[] x, int len, Activation act) {
        activationBackward(dIn, dOut, x, 0, len, act);
    }

    /** {@link #activationBackward} for i in [from, to). */
    public static void activationBackward(float[] dIn, float[] dOut, float[] x, int from, int to, Activation act) {
        IMPL.activationBackward(dIn, dOut, x, from, to, act);
    }


    /** The derivative used by {@link #activationBackward}, one value. */
    public static float activationGrad(Activation act, float x) {
        switch (act) {
            case RELU:
                return x > 0f ? 1f : 0f;
            case RELU6:
                return x > 0f && x < 6f ? 1f : 0f;
            case HARD_SWISH:
                return x < -3f ? 0f : x <= 3f ? x / 3f + 0.5f : 1f;
            case HARD_SIGMOID:
                return x > -3f && x < 3f ? 1f / 6f : 0f;
            default:
                return 1f;
        }
    }

    // ---- pooling, bias, scaling ----

    /** out[n*c] = mean over hw of each plane (overwrites). */
    public static void globalAvgPool(float[] out, float[] in, int planes, int hw) {
        globalAvgPool(out, in, 0, planes, hw);
    }

    /** {@link #globalAvgPool} for planes [p0, p1). */
    public static void globalAvgPool(float[] out, float[] in, int p0, int p1, int hw) {
        for (int p = p0; p < p1; p++) {
            out[p] = (float) (orderedSum(in, p * hw, hw) / hw);
        }
    }

    /** dIn += dOut[plane] / hw spread over each plane. */
    public static void globalAvgPoolBackward(float[] dIn, float[] dOut, int planes, int hw) {
        globalAvgPoolBackward(dIn, dOut, 0, planes, hw);
    }

    /** {@link #globalAvgPoolBackward} for planes [p0, p1). */
    public static void globalAvgPoolBackward(float[] dIn, float[] dOut, int p0, int p1, int hw) {
        for (int p = p0; p < p1; p++) {
            addToPlane(dIn, p * hw, hw, dOut[p] / hw);
        }
    }

    /** x[n][c][hw] += bias[c]. */
    public static void addBias(float[] x, float[] bias, int n, int c, int hw) {
        for (int p = 0; p < n * c; p++) {
            addToPlane(x, p * hw, hw, bias[p % c]);
        }
    }

    /** dBias[c] += sum over n, hw of dOut. */
    public static void biasBackward(float[] dBias, float[] dOut, int n, int c, int hw) {
        for (int p = 0; p < n * c; p++) {
            dBias[p % c] += (float) orderedSum(dOut, p * hw, hw);
        }
    }

    /** The sum of a[off, off + len) in double, one element after another. */
    private static double orderedSum(float[] a, int off, int len) {
        double s = 0;
        for (int j = 0; j < len; j++) {
            s += a[off + j];
        }
        return s;
    }

    private static void addToPlane(float[] a, int off, int len, float v) {
        for (int j = 0; j < len; j++) {
            a[off + j] += v;
        }
    }

    /** out[n][c][hw] = in[n][c][hw] * scale[n*c] (squeeze-excite gating). */
    public static void scalePlanes(float[] out, float[] in, float[] scale, int planes, int hw) {
        scalePlanes(out, in, scale, 0, planes, hw);
    }

    /** {@link #scalePlanes} for planes [p0, p1). */
    public static void scalePlanes(float[] out, float[] in, float[] scale, int p0, int p1, int hw) {
        for (int p = p0; p < p1; p++) {
            float s = scale[p];
            int off = p * hw;
            for (int j = 0; j < hw; j++) {
                out[off + j] = in[off + j] * s;
            }
        }
    }

    /** Backward of {@link #scalePlanes}: dIn += dOut * scale, dScale[p] = sum(dOut * in) (overwrites). */
    public static void scalePlanesBackward(float[] dIn, float[] dScale, float[] dOut, float[] in, float[] scale,
                                           int planes, int hw) {
        scalePlanesBackward(dIn, dScale, dOut, in, scale, 0, planes, hw);
    }

    /** {@link #scalePlanesBackward} for planes [p0, p1). */
    public static void scalePlanesBackward(float[] dIn, float[] dScale, float[] dOut, float[] in, float[] scale,
                                           int p0, int p1, int hw) {
        for (int p = p0; p < p1; p++) {
            float s = scale[p];
            int off = p * hw;
            double acc = 0;
            for (int j = 0; j < hw; j++) {
                float g = dOut[off + j];
                acc += g * in[off + j];
                dIn[off + j] += g * s;
            }
            dScale[p] = (float) acc;
        }
    }
}

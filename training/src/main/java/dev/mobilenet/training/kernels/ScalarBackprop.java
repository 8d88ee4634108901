package dev.mobilenet.training.kernels;

import dev.mobilenet.kernels.Activation;

/**
 * The scalar implementation of {@link BackpropKernels}: plain Java, the reference its Vector API twin is tested
 * against, and what {@link TrainKernels} uses without jdk.incubator.vector.
 */
public final class ScalarBackprop implements BackpropKernels {
    public static final ScalarBackprop INSTANCE = new ScalarBackprop();

    private ScalarBackprop() {
    }

    /** C[M,N] (+)= A[M,K] * B[K,N]. */
    @Override
    public void gemm(float[] c, int cOff, float[] a, int aOff, float[] b, int bOff, int m, int n, int k,
                     boolean accumulate) {
        for (int i = 0; i < m; i++) {
            int ci = cOff + i * n;
            if (!accumulate) {
                java.util.Arrays.fill(c, ci, ci + n, 0f);
            }
            int ai = aOff + i * k;
            for (int p = 0; p < k; p++) {
                float av = a[ai + p];
                if (av == 0f) {
                    continue;
                }
                int bp = bOff + p * n;
                for (int j = 0; j < n; j++) {
                    c[ci + j] += av * b[bp + j];
                }
            }
        }
    }

    /** C[M,N] (+)= A^T * B with A stored as [K,M] and B as [K,N]. */
    @Override
    public void gemmTN(float[] c, int cOff, float[] a, int aOff, float[] b, int bOff, int m, int n, int k,
                       boolean accumulate) {
        if (!accumulate) {
            java.util.Arrays.fill(c, cOff, cOff + m * n, 0f);
        }
        for (int p = 0; p < k; p++) {
            int ap = aOff + p * m;
            int bp = bOff + p * n;
            for (int i = 0; i < m; i++) {
                float av = a[ap + i];
                if (av == 0f) {
                    continue;
                }
                int ci = cOff + i * n;
                for (int j = 0; j < n; j++) {
                    c[ci + j] += av * b[bp + j];
                }
            }
        }
    }

    /**
     * Depthwise conv of one image: out[c] = in[c] * w[c] (k x k), overwriting out. Tap by tap over the valid
     * output range of each row, so the inner loop has no bounds tests; taps are summed in (ky, kx) order.
     */
    @Override
    public void depthwiseForward(float[] out, int outOff, float[] in, int inOff, float[] w, int channels,
                                 int h, int wd, int k, int stride, int dilation, int padTop, int padLeft,
                                 int oh, int ow) {
        java.util.Arrays.fill(out, outOff, outOff + channels * oh * ow, 0f);
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
                    for (int oy = oy0; oy < oy1; oy++) {
                        int row = ip + (oy * stride - padTop + ky * dilation) * wd - padLeft + kx * dilation;
                        int orow = op + oy * ow;
                        if (stride == 1) {
                            for (int ox = ox0; ox < ox1; ox++) {
                                out[orow + ox] += in[row + ox] * wv;
                            }
                        } else {
                            for (int ox = ox0; ox < ox1; ox++) {
                                out[orow + ox] += in[row + ox * stride] * wv;
                            }
                        }
                    }
                }
            }
        }
    }

    /** Depthwise backward for one image: dIn += conv^T(dOut) (when dIn is non-null), dW[dWOff..] += dOut (x) in. */
    @Override
    public void depthwiseBackward(float[] dIn, float[] dW, int dWOff, float[] dOut, int outOff, float[] in,
                                  int inOff,
                                  float[] w, int channels, int h, int wd, int k, int stride, int dilation,
                                  int padTop, int padLeft, int oh, int ow, float[] scratch) {
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
                        int orow = op + oy * ow;
                        gw += TrainKernels.rowDot(dOut, orow, in, row, stride, ox0, ox1);
                        if (dIn != null) {
                            if (stride == 1) {
                                for (int ox = ox0; ox < ox1; ox++) {
                                    dIn[row + ox] += dOut[orow + ox] * wv;
                                }
                            } else {
                                for (int ox = ox0; ox < ox1; ox++) {
                                    dIn[row + ox * stride] += dOut[orow + ox] * wv;
                                }
                            }
                        }
                    }
                    dW[dWOff + wp + ky * k + kx] += gw;
                }
            }
        }
    }

    @Override
    public void activationForward(float[] out, float[] x, int from, int to, Activation act) {
        for (int i = from; i < to; i++) {
            out[i] = act.apply(x[i]);
        }
    }

    @Override
    public void activationBackward(float[] dIn, float[] dOut, float[] x, int from, int to,
                                   Activation act) {
        switch (act) {
            case RELU:
                for (int i = from; i < to; i++) {
                    dIn[i] = x[i] > 0f ? dOut[i] : 0f;
                }
                break;
            case RELU6:
                for (int i = from; i < to; i++) {
                    dIn[i] = x[i] > 0f && x[i] < 6f ? dOut[i] : 0f;
                }
                break;
            case HARD_SWISH:
                for (int i = from; i < to; i++) {
                    float v = x[i];
                    dIn[i] = v < -3f ? 0f : v <= 3f ? dOut[i] * (v / 3f + 0.5f) : dOut[i];
                }
                break;
            case HARD_SIGMOID:
                for (int i = from; i < to; i++) {
                    dIn[i] = x[i] > -3f && x[i] < 3f ? dOut[i] / 6f : 0f;
                }
                break;
            default:
                if (dIn != dOut) {
                    System.arraycopy(dOut, from, dIn, from, to - from);
                }
        }
    }
}

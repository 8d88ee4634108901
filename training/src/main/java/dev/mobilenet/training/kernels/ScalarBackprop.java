package dev.mobilenet.training.kernels;

import dev.mobilenet.kernels.Activation;

/**
 * The scalar implementation of {@link BackpropKernels}: plain Java, the reference its Vector API twin is tested
 * against, and what {@link TrainKernels} uses without jdk.incubator.vector.
 */
public final class ScalarBackprop extends DepthwiseLoops {
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

    @Override
    void forwardRow(float[] out, int orow, float[] in, int row, float wv, int stride, int ox0, int ox1) {
        forwardTail(out, orow, in, row, wv, stride, ox0, ox1);
    }

    @Override
    float backwardRow(float gw, float[] dIn, float[] dOut, int orow, float[] in, int row, float wv, int stride,
                      int ox0, int ox1, float[] scratch) {
        float g = gw + TrainKernels.rowDot(dOut, orow, in, row, stride, ox0, ox1);
        if (dIn != null) {
            inputGradTail(dIn, row, dOut, orow, wv, stride, ox0, ox1);
        }
        return g;
    }

    /** out[orow + ox] += in[row + ox * stride] * wv for ox in [from, to): the row, or the vector twin's tail. */
    static void forwardTail(float[] out, int orow, float[] in, int row, float wv, int stride, int from, int to) {
        if (stride == 1) {
            for (int ox = from; ox < to; ox++) {
                out[orow + ox] += in[row + ox] * wv;
            }
        } else {
            for (int ox = from; ox < to; ox++) {
                out[orow + ox] += in[row + ox * stride] * wv;
            }
        }
    }

    /** dIn[row + ox * stride] += dOut[orow + ox] * wv for ox in [from, to): the row, or the vector twin's tail. */
    static void inputGradTail(float[] dIn, int row, float[] dOut, int orow, float wv, int stride, int from, int to) {
        if (stride == 1) {
            for (int ox = from; ox < to; ox++) {
                dIn[row + ox] += dOut[orow + ox] * wv;
            }
        } else {
            for (int ox = from; ox < to; ox++) {
                dIn[row + ox * stride] += dOut[orow + ox] * wv;
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

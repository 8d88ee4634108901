package dev.mobilenet.training.kernels;

import dev.mobilenet.kernels.Activation;

/**
 * The training engine's kernel family with Vector API twins: {@link ScalarBackprop} (plain Java, the reference) and
 * {@code VectorBackprop}; {@link TrainKernels} picks one at start-up (the Vector API one exactly when core's
 * {@link dev.mobilenet.kernels.Kernels#vectorized()}) and forwards to it. Outputs first, sizes explicit, no
 * allocation; gradient outputs are accumulated unless {@code accumulate} is false.
 */
public interface BackpropKernels {
    /** C[M,N] (+)= A[M,K] * B[K,N], row-major. */
    void gemm(float[] c, int cOff, float[] a, int aOff, float[] b, int bOff, int m, int n, int k, boolean accumulate);

    /** C[M,N] (+)= A^T * B with A stored as [K,M] and B as [K,N]. */
    void gemmTN(float[] c, int cOff, float[] a, int aOff, float[] b, int bOff, int m, int n, int k,
                boolean accumulate);

    /**
     * Depthwise convolution of one image, CHW, no bias: out = conv(in, w); {@code scratch} holds at least
     * {@link TrainKernels#depthwiseScratch} floats.
     */
    void depthwiseForward(float[] out, int outOff, float[] in, int inOff, float[] w, int channels, int h, int wd,
                          int k, int stride, int dilation, int padTop, int padLeft, int oh, int ow, float[] scratch);

    /**
     * Depthwise backward for one image: dIn += conv^T(dOut) (when dIn is non-null), dW[dWOff..] += dOut (x) in;
     * {@code scratch} holds at least {@link TrainKernels#depthwiseScratch} floats.
     */
    void depthwiseBackward(float[] dIn, float[] dW, int dWOff, float[] dOut, int outOff, float[] in, int inOff,
                           float[] w, int channels, int h, int wd, int k, int stride, int dilation, int padTop,
                           int padLeft, int oh, int ow, float[] scratch);

    /** Scratch floats {@link #depthwiseForward} and {@link #depthwiseBackward} need for these sizes. */
    long depthwiseScratch(int k, int stride, int dilation, int oh, int ow);

    /** {@code out[i] = act(x[i])} for i in [from, to). */
    void activationForward(float[] out, float[] x, int from, int to, Activation act);

    /** {@code dIn[i] = dOut[i] * act'(x[i])} for i in [from, to), with PyTorch's values at the kinks. */
    void activationBackward(float[] dIn, float[] dOut, float[] x, int from, int to, Activation act);
}

package dev.mobilenet.training.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mobilenet.kernels.Activation;
import dev.mobilenet.testing.Golden;
import dev.mobilenet.testing.TwinTest;
import org.junit.jupiter.api.Test;

/** The Vector API training kernels ({@link VectorBackprop}) against their scalar twins ({@link ScalarBackprop}). */
class TrainKernelTwinTest extends TwinTest {
    private final BackpropKernels scalarImpl = ScalarBackprop.INSTANCE;
    private final BackpropKernels vectorImpl = new VectorBackprop();

    TrainKernelTwinTest() {
        super(31L, 1f);
    }



    @Test
    void gemmAndTransposedGemmMatchScalar() {
        int cases = 0;
        for (int m : new int[] {1, 3, 4, 5, 9}) {
            for (int n : new int[] {1, 7, 8, 17, 33, 100}) {
                for (int k : new int[] {1, 5, 64, 5000}) {
                    for (boolean acc : new boolean[] {false, true}) {
                        int off = 3;
                        float[] a = rand(off + m * k);
                        float[] b = rand(off + k * n);
                        float[] c0 = rand(off + m * n);
                        float[] scalar = c0.clone();
                        float[] vector = c0.clone();
                        scalarImpl.gemm(scalar, off, a, off, b, off, m, n, k, acc);
                        vectorImpl.gemm(vector, off, a, off, b, off, m, n, k, acc);
                        String what = "gemm " + m + "x" + n + "x" + k + (acc ? " +=" : "");
                        Golden.assertClose(what, scalar, vector, 2e-6);
                        scalar = c0.clone();
                        vector = c0.clone();
                        scalarImpl.gemmTN(scalar, off, a, off, b, off, m, n, k, acc);
                        vectorImpl.gemmTN(vector, off, a, off, b, off, m, n, k, acc);
                        Golden.assertClose("TN " + what, scalar, vector, 2e-6);
                        cases++;
                    }
                }
            }
        }
        assertEquals(240, cases);
    }

    @Test
    void depthwiseForwardAndBackwardMatchScalar() {
        int cases = 0;
        int c = 3;
        for (int[] hw : new int[][] {{7, 7}, {12, 19}, {33, 40}}) {
            for (int k : new int[] {3, 5}) {
                for (int stride : new int[] {1, 2}) {
                    for (int dil : new int[] {1, 2}) {
                        int h = hw[0];
                        int wd = hw[1];
                        int span = (k - 1) * dil + 1;
                        int padTop = (span - 1) / 2;
                        int padLeft = span / 2;
                        int oh = (h + 2 * padTop - span) / stride + 1;
                        int ow = (wd + padTop + padLeft - span) / stride + 1;
                        int off = 5;
                        float[] in = rand(off + c * h * wd);
                        float[] w = rand(c * k * k);
                        float[] scalar = rand(off + c * oh * ow);
                        float[] vector = scalar.clone();
                        float[] scratch = new float[(int) vectorImpl.depthwiseScratch(k, stride, dil, oh, ow)];
                        java.util.Arrays.fill(scratch, Float.NaN);
                        scalarImpl.depthwiseForward(scalar, off, in, off, w, c, h, wd, k, stride, dil, padTop,
                                padLeft, oh, ow, null);
                        vectorImpl.depthwiseForward(vector, off, in, off, w, c, h, wd, k, stride, dil,
                                padTop, padLeft, oh, ow, scratch);
                        String what = "depthwise " + h + "x" + wd + " k" + k + " s" + stride + " d" + dil;
                        assertArrayEquals(scalar, vector, what + ": the same products summed in the same order");
                        float[] dOut = rand(off + c * oh * ow);
                        float[] dIn0 = rand(off + c * h * wd);
                        float[] dW0 = rand(2 + c * k * k);
                        for (boolean withInput : new boolean[] {false, true}) {
                            float[] dInS = withInput ? dIn0.clone() : null;
                            float[] dInV = withInput ? dIn0.clone() : null;
                            float[] dWS = dW0.clone();
                            float[] dWV = dW0.clone();
                            java.util.Arrays.fill(scratch, Float.NaN);
                            scalarImpl.depthwiseBackward(dInS, dWS, 2, dOut, off, in, off, w, c, h, wd, k, stride,
                                    dil, padTop, padLeft, oh, ow, null);
                            vectorImpl.depthwiseBackward(dInV, dWV, 2, dOut, off, in, off, w, c, h, wd, k,
                                    stride, dil, padTop, padLeft, oh, ow, scratch);
                            Golden.assertClose(what + " dW", dWS, dWV, 2e-5);
                            if (withInput) {
                                Golden.assertClose(what + " dIn", dInS, dInV, 1e-6);
                            }
                        }
                        cases++;
                    }
                }
            }
        }
        assertEquals(24, cases);
    }

    @Test
    void activationsEqualScalarExactly() {
        float[] x = rand(203);
        for (int i = 0; i < x.length; i += 7) {
            x[i] = new float[] {0f, 6f, 3f, -3f, 3.0000002f, -2.9999998f, 7.5f}[(i / 7) % 7];
        }
        for (int i = 0; i < x.length; i++) {
            x[i] *= 4f;
        }
        x[1] = 0f;
        x[2] = 6f;
        x[3] = 3f;
        x[4] = -3f;
        float[] g = rand(x.length);
        for (Activation act : Activation.values()) {
            float[] s = new float[x.length];
            float[] v = new float[x.length];
            scalarImpl.activationForward(s, x, 1, x.length, act);
            vectorImpl.activationForward(v, x, 1, x.length, act);
            assertArrayEquals(s, v, 0f, act + " forward");
            scalarImpl.activationBackward(s, g, x, 1, x.length, act);
            vectorImpl.activationBackward(v, g, x, 1, x.length, act);
            assertArrayEquals(s, v, 0f, act + " backward");
        }
    }
}

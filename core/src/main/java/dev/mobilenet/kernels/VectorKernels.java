package dev.mobilenet.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API twins of {@link ScalarKernels}, same signatures and same results up to float rounding order.
 * Only {@link Kernels} touches this class, and only after checking that jdk.incubator.vector is present.
 */
final class VectorKernels {
    private VectorKernels() {
    }

    static final VectorSpecies<Float> SPECIES = pickSpecies();

    private static VectorSpecies<Float> pickSpecies() {
        String bits = System.getProperty("mobilenet.vector.bits", "");
        switch (bits) {
            case "128":
                return FloatVector.SPECIES_128;
            case "256":
                return FloatVector.SPECIES_256;
            case "512":
                return FloatVector.SPECIES_512;
            default:
                return FloatVector.SPECIES_PREFERRED;
        }
    }

    static int lanes() {
        return SPECIES.length();
    }

    static void pointwiseForward(float[] out, int outOff, float[] in, int inOff, float[] w, float[] bias,
                                 int cin, int cout, int hw) {
        final int vl = SPECIES.length();
        final int bound = SPECIES.loopBound(hw);
        int co = 0;
        for (; co + 4 <= cout; co += 4) {
            int o0 = outOff + co * hw;
            int o1 = o0 + hw;
            int o2 = o1 + hw;
            int o3 = o2 + hw;
            float b0 = bias == null ? 0f : bias[co];
            float b1 = bias == null ? 0f : bias[co + 1];
            float b2 = bias == null ? 0f : bias[co + 2];
            float b3 = bias == null ? 0f : bias[co + 3];
            int w0 = co * cin;
            int w1 = w0 + cin;
            int w2 = w1 + cin;
            int w3 = w2 + cin;
            int p = 0;
            for (; p < bound; p += vl) {
                FloatVector a0 = FloatVector.broadcast(SPECIES, b0);
                FloatVector a1 = FloatVector.broadcast(SPECIES, b1);
                FloatVector a2 = FloatVector.broadcast(SPECIES, b2);
                FloatVector a3 = FloatVector.broadcast(SPECIES, b3);
                int x = inOff + p;
                for (int ci = 0; ci < cin; ci++, x += hw) {
                    FloatVector v = FloatVector.fromArray(SPECIES, in, x);
                    a0 = v.fma(FloatVector.broadcast(SPECIES, w[w0 + ci]), a0);
                    a1 = v.fma(FloatVector.broadcast(SPECIES, w[w1 + ci]), a1);
                    a2 = v.fma(FloatVector.broadcast(SPECIES, w[w2 + ci]), a2);
                    a3 = v.fma(FloatVector.broadcast(SPECIES, w[w3 + ci]), a3);
                }
                a0.intoArray(out, o0 + p);
                a1.intoArray(out, o1 + p);
                a2.intoArray(out, o2 + p);
                a3.intoArray(out, o3 + p);
            }
            for (; p < hw; p++) {
                float s0 = b0;
                float s1 = b1;
                float s2 = b2;
                float s3 = b3;
                int x = inOff + p;
                for (int ci = 0; ci < cin; ci++, x += hw) {
                    float v = in[x];
                    s0 += w[w0 + ci] * v;
                    s1 += w[w1 + ci] * v;
                    s2 += w[w2 + ci] * v;
                    s3 += w[w3 + ci] * v;
                }
                out[o0 + p] = s0;
                out[o1 + p] = s1;
                out[o2 + p] = s2;
                out[o3 + p] = s3;
            }
        }
        for (; co < cout; co++) {
            int o = outOff + co * hw;
            float b = bias == null ? 0f : bias[co];
            int wb = co * cin;
            int p = 0;
            for (; p < bound; p += vl) {
                FloatVector a = FloatVector.broadcast(SPECIES, b);
                int x = inOff + p;
                for (int ci = 0; ci < cin; ci++, x += hw) {
                    a = FloatVector.fromArray(SPECIES, in, x).fma(FloatVector.broadcast(SPECIES, w[wb + ci]), a);
                }
                a.intoArray(out, o + p);
            }
            for (; p < hw; p++) {
                float s = b;
                int x = inOff + p;
                for (int ci = 0; ci < cin; ci++, x += hw) {
                    s += w[wb + ci] * in[x];
                }
                out[o + p] = s;
            }
        }
    }

    static void matvecForward(float[] out, int outOff, float[] x, int xOff, float[] w, float[] bias,
                              int inDim, int outDim) {
        final int vl = SPECIES.length();
        final int bound = SPECIES.loopBound(inDim);
        for (int o = 0; o < outDim; o++) {
            int wb = o * inDim;
            FloatVector acc = FloatVector.zero(SPECIES);
            int i = 0;
            for (; i < bound; i += vl) {
                acc = FloatVector.fromArray(SPECIES, w, wb + i).fma(FloatVector.fromArray(SPECIES, x, xOff + i), acc);
            }
            float s = acc.reduceLanes(VectorOperators.ADD);
            for (; i < inDim; i++) {
                s += w[wb + i] * x[xOff + i];
            }
            out[outOff + o] = s + (bias == null ? 0f : bias[o]);
        }
    }

    static void activationForward(float[] x, int off, int len, Activation act) {
        if (act == Activation.IDENTITY) {
            return;
        }
        final int vl = SPECIES.length();
        final int end = off + SPECIES.loopBound(len);
        final FloatVector zero = FloatVector.zero(SPECIES);
        final FloatVector three = FloatVector.broadcast(SPECIES, 3f);
        final FloatVector six = FloatVector.broadcast(SPECIES, 6f);
        int i = off;
        switch (act) {
            case RELU:
                for (; i < end; i += vl) {
                    FloatVector.fromArray(SPECIES, x, i).max(zero).intoArray(x, i);
                }
                break;
            case RELU6:
                for (; i < end; i += vl) {
                    FloatVector.fromArray(SPECIES, x, i).max(zero).min(six).intoArray(x, i);
                }
                break;
            case HARD_SWISH:
                for (; i < end; i += vl) {
                    FloatVector v = FloatVector.fromArray(SPECIES, x, i);
                    v.mul(v.add(three).max(zero).min(six).div(six)).intoArray(x, i);
                }
                break;
            case HARD_SIGMOID:
                for (; i < end; i += vl) {
                    FloatVector.fromArray(SPECIES, x, i).add(three).max(zero).min(six).div(six).intoArray(x, i);
                }
                break;
            default:
                throw new AssertionError(act);
        }
        for (; i < off + len; i++) {
            x[i] = act.apply(x[i]);
        }
    }

    static void channelScaleForward(float[] x, int off, float[] gate, int gateOff, int c, int hw) {
        final int vl = SPECIES.length();
        final int bound = SPECIES.loopBound(hw);
        for (int ch = 0; ch < c; ch++) {
            float g = gate[gateOff + ch];
            FloatVector gv = FloatVector.broadcast(SPECIES, g);
            int b = off + ch * hw;
            int p = 0;
            for (; p < bound; p += vl) {
                FloatVector.fromArray(SPECIES, x, b + p).mul(gv).intoArray(x, b + p);
            }
            for (; p < hw; p++) {
                x[b + p] *= g;
            }
        }
    }

    static void addForward(float[] out, int outOff, float[] in, int inOff, int len) {
        final int vl = SPECIES.length();
        final int bound = SPECIES.loopBound(len);
        int i = 0;
        for (; i < bound; i += vl) {
            FloatVector.fromArray(SPECIES, out, outOff + i).add(FloatVector.fromArray(SPECIES, in, inOff + i))
                    .intoArray(out, outOff + i);
        }
        for (; i < len; i++) {
            out[outOff + i] += in[inOff + i];
        }
    }

    /**
     * Depthwise convolution for stride 1: the interior of each output row is computed a vector at a time,
     * the borders (where taps fall in the padding) by the scalar rule.
     */
    static void depthwiseForward(float[] out, int outOff, float[] in, int inOff, float[] w, float[] bias,
                                 int c, int h, int wd, int k, int stride, int dilation,
                                 int padTop, int padLeft, int oh, int ow) {
        if (stride != 1) {
            ScalarKernels.depthwiseForward(out, outOff, in, inOff, w, bias, c, h, wd, k, stride, dilation,
                    padTop, padLeft, oh, ow);
            return;
        }
        final int vl = SPECIES.length();
        // Output columns whose every tap lies inside the row: ox - padLeft >= 0 and ox - padLeft + (k-1)*d < wd.
        final int xLo = Math.min(ow, padLeft);
        final int xHi = Math.max(xLo, Math.min(ow, wd - (k - 1) * dilation + padLeft));
        for (int ch = 0; ch < c; ch++) {
            int ib = inOff + ch * h * wd;
            int ob = outOff + ch * oh * ow;
            int wb = ch * k * k;
            float b = bias == null ? 0f : bias[ch];
            for (int oy = 0; oy < oh; oy++) {
                int orow = ob + oy * ow;
                for (int ox = 0; ox < xLo; ox++) {
                    out[orow + ox] = ScalarKernels.depthwiseAt(in, ib, w, wb, b, h, wd, k, 1, dilation, padTop, padLeft, oy, ox);
                }
                int ox = xLo;
                FloatVector bv = FloatVector.broadcast(SPECIES, b);
                for (; ox + vl <= xHi; ox += vl) {
                    FloatVector acc = bv;
                    for (int ky = 0; ky < k; ky++) {
                        int iy = oy - padTop + ky * dilation;
                        if (iy < 0 || iy >= h) {
                            continue;
                        }
                        int irow = ib + iy * wd + ox - padLeft;
                        for (int kx = 0; kx < k; kx++) {
                            acc = FloatVector.fromArray(SPECIES, in, irow + kx * dilation)
                                    .fma(FloatVector.broadcast(SPECIES, w[wb + ky * k + kx]), acc);
                        }
                    }
                    acc.intoArray(out, orow + ox);
                }
                for (; ox < ow; ox++) {
                    out[orow + ox] = ScalarKernels.depthwiseAt(in, ib, w, wb, b, h, wd, k, 1, dilation, padTop, padLeft, oy, ox);
                }
            }
        }
    }
}

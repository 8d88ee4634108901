package dev.mobilenet.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API twins of {@link ScalarKernels}, same signatures and same results up to float rounding order.
 * Only {@link Kernels} touches this class, and only after checking that jdk.incubator.vector is present.
 */
final class VectorKernels {
    private VectorKernels() {
    }

    static final VectorSpecies<Float> SPECIES = pickSpecies();

    /**
     * The JVM's preferred float species, or a narrower one when {@code -Dmobilenet.vector.bits} asks for it. A wider
     * one than preferred is not honoured: the JVM would run it in plain Java, many times slower.
     */
    private static VectorSpecies<Float> pickSpecies() {
        VectorSpecies<Float> preferred = FloatVector.SPECIES_PREFERRED;
        String bits = System.getProperty("mobilenet.vector.bits", "");
        VectorSpecies<Float> asked;
        switch (bits) {
            case "128":
                asked = FloatVector.SPECIES_128;
                break;
            case "256":
                asked = FloatVector.SPECIES_256;
                break;
            case "512":
                asked = FloatVector.SPECIES_512;
                break;
            default:
                return preferred;
        }
        return asked.vectorBitSize() <= preferred.vectorBitSize() ? asked : preferred;
    }

    static int lanes() {
        return SPECIES.length();
    }

    /**
     * Point-wise convolution as a small GEMM over CHW data. Positions are taken in blocks of two vectors; within a
     * block the input columns stay in L1 while every group of four output channels runs its dot products, eight
     * accumulators at a time.
     */
    static void pointwiseForward(float[] out, int outOff, float[] in, int inOff, float[] w, float[] bias,
                                 int cin, int cout, int hw) {
        final int vl = SPECIES.length();
        int p = 0;
        for (; p + 2 * vl <= hw; p += 2 * vl) {
            int co = 0;
            for (; co + 4 <= cout; co += 4) {
                pointwise4x2(out, outOff, in, inOff, w, bias, cin, hw, co, p);
            }
            for (; co < cout; co++) {
                pointwise1x2(out, outOff, in, inOff, w, bias, cin, hw, co, p);
            }
        }
        // The last vector may overlap positions already done: they are recomputed to the same values, which is
        // cheaper than a scalar tail. Four output channels at a time keep four independent FMA chains.
        for (; p < hw && hw >= vl; p += vl) {
            if (p + vl > hw) {
                p = hw - vl;
            }
            int co = 0;
            for (; co + 4 <= cout; co += 4) {
                pointwise4x1(out, outOff, in, inOff, w, bias, cin, hw, co, p);
            }
            for (; co < cout; co++) {
                int wb = co * cin;
                FloatVector a = FloatVector.broadcast(SPECIES, bias == null ? 0f : bias[co]);
                int x = inOff + p;
                for (int ci = 0; ci < cin; ci++, x += hw) {
                    a = FloatVector.fromArray(SPECIES, in, x).fma(FloatVector.broadcast(SPECIES, w[wb + ci]), a);
                }
                a.intoArray(out, outOff + co * hw + p);
            }
        }
        for (; p < hw; p++) {
            for (int co = 0; co < cout; co++) {
                int wb = co * cin;
                float a = bias == null ? 0f : bias[co];
                int x = inOff + p;
                for (int ci = 0; ci < cin; ci++, x += hw) {
                    a += w[wb + ci] * in[x];
                }
                out[outOff + co * hw + p] = a;
            }
        }
    }

    private static void pointwise4x2(float[] out, int outOff, float[] in, int inOff, float[] w, float[] bias,
                                     int cin, int hw, int co, int p) {
        final int vl = SPECIES.length();
        int w0 = co * cin;
        int w1 = w0 + cin;
        int w2 = w1 + cin;
        int w3 = w2 + cin;
        FloatVector a00 = FloatVector.broadcast(SPECIES, bias == null ? 0f : bias[co]);
        FloatVector a10 = FloatVector.broadcast(SPECIES, bias == null ? 0f : bias[co + 1]);
        FloatVector a20 = FloatVector.broadcast(SPECIES, bias == null ? 0f : bias[co + 2]);
        FloatVector a30 = FloatVector.broadcast(SPECIES, bias == null ? 0f : bias[co + 3]);
        FloatVector a01 = a00;
        FloatVector a11 = a10;
        FloatVector a21 = a20;
        FloatVector a31 = a30;
        int x = inOff + p;
        for (int ci = 0; ci < cin; ci++, x += hw) {
            FloatVector x0 = FloatVector.fromArray(SPECIES, in, x);
            FloatVector x1 = FloatVector.fromArray(SPECIES, in, x + vl);
            FloatVector b0 = FloatVector.broadcast(SPECIES, w[w0 + ci]);
            a00 = x0.fma(b0, a00);
            a01 = x1.fma(b0, a01);
            FloatVector b1 = FloatVector.broadcast(SPECIES, w[w1 + ci]);
            a10 = x0.fma(b1, a10);
            a11 = x1.fma(b1, a11);
            FloatVector b2 = FloatVector.broadcast(SPECIES, w[w2 + ci]);
            a20 = x0.fma(b2, a20);
            a21 = x1.fma(b2, a21);
            FloatVector b3 = FloatVector.broadcast(SPECIES, w[w3 + ci]);
            a30 = x0.fma(b3, a30);
            a31 = x1.fma(b3, a31);
        }
        int o = outOff + co * hw + p;
        a00.intoArray(out, o);
        a01.intoArray(out, o + vl);
        a10.intoArray(out, o + hw);
        a11.intoArray(out, o + hw + vl);
        a20.intoArray(out, o + 2 * hw);
        a21.intoArray(out, o + 2 * hw + vl);
        a30.intoArray(out, o + 3 * hw);
        a31.intoArray(out, o + 3 * hw + vl);
    }

    private static void pointwise4x1(float[] out, int outOff, float[] in, int inOff, float[] w, float[] bias,
                                     int cin, int hw, int co, int p) {
        int w0 = co * cin;
        int w1 = w0 + cin;
        int w2 = w1 + cin;
        int w3 = w2 + cin;
        FloatVector a0 = FloatVector.broadcast(SPECIES, bias == null ? 0f : bias[co]);
        FloatVector a1 = FloatVector.broadcast(SPECIES, bias == null ? 0f : bias[co + 1]);
        FloatVector a2 = FloatVector.broadcast(SPECIES, bias == null ? 0f : bias[co + 2]);
        FloatVector a3 = FloatVector.broadcast(SPECIES, bias == null ? 0f : bias[co + 3]);
        int x = inOff + p;
        for (int ci = 0; ci < cin; ci++, x += hw) {
            FloatVector v = FloatVector.fromArray(SPECIES, in, x);
            a0 = v.fma(FloatVector.broadcast(SPECIES, w[w0 + ci]), a0);
            a1 = v.fma(FloatVector.broadcast(SPECIES, w[w1 + ci]), a1);
            a2 = v.fma(FloatVector.broadcast(SPECIES, w[w2 + ci]), a2);
            a3 = v.fma(FloatVector.broadcast(SPECIES, w[w3 + ci]), a3);
        }
        int o = outOff + co * hw + p;
        a0.intoArray(out, o);
        a1.intoArray(out, o + hw);
        a2.intoArray(out, o + 2 * hw);
        a3.intoArray(out, o + 3 * hw);
    }

    private static void pointwise1x2(float[] out, int outOff, float[] in, int inOff, float[] w, float[] bias,
                                     int cin, int hw, int co, int p) {
        final int vl = SPECIES.length();
        int wb = co * cin;
        FloatVector a0 = FloatVector.broadcast(SPECIES, bias == null ? 0f : bias[co]);
        FloatVector a1 = a0;
        int x = inOff + p;
        for (int ci = 0; ci < cin; ci++, x += hw) {
            FloatVector b = FloatVector.broadcast(SPECIES, w[wb + ci]);
            a0 = FloatVector.fromArray(SPECIES, in, x).fma(b, a0);
            a1 = FloatVector.fromArray(SPECIES, in, x + vl).fma(b, a1);
        }
        int o = outOff + co * hw + p;
        a0.intoArray(out, o);
        a1.intoArray(out, o + vl);
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
            // Lanes are summed in a fixed order: reduceLanes' order differs between the intrinsic and the
            // interpreter, which would make results depend on JIT state.
            float s = 0f;
            for (int l = 0; l < vl; l++) {
                s += acc.lane(l);
            }
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

    /** Floats of scratch {@link #depthwiseForward} needs for an h x wd input. */
    static int depthwiseScratch(int h, int wd, int k, int stride, int dilation) {
        int span = (k - 1) * dilation + 1;
        long plane = (long) (h + 2 * span + 2 * stride) * (wd + 2 * span + 2 * stride);
        return Math.toIntExact(2 * plane + 6L * SPECIES.length());
    }

    /**
     * Depthwise convolution (strides 1 and 2; larger strides use the scalar kernel). Each channel is rearranged in
     * {@code scratch} into stride x stride zero-padded phase planes (one plane for stride 1; even/odd rows x
     * even/odd columns for stride 2). In those planes every tap of
     * every output is a fixed offset from the output's position in a plane-wide row, so the whole output plane is
     * computed as one flat run of full vectors; the few columns past the output width are dropped when the rows are
     * copied out.
     */
    static void depthwiseForward(float[] out, int outOff, float[] in, int inOff, float[] w, float[] bias,
                                 int c, int h, int wd, int k, int stride, int dilation,
                                 int padTop, int padLeft, int oh, int ow, float[] scratch) {
        if (stride > 2) {
            ScalarKernels.depthwiseForward(out, outOff, in, inOff, w, bias, c, h, wd, k, stride, dilation,
                    padTop, padLeft, oh, ow, scratch);
            return;
        }
        final int vl = SPECIES.length();
        final int s = stride;
        final int kk = k * k;
        final int span = (k - 1) * dilation + 1;
        final int ph = Math.max(h + padTop, (oh - 1) * s + span);
        final int pw = Math.max(wd + padLeft, (ow - 1) * s + span);
        final int ph2 = (ph + s - 1) / s;
        final int pw2 = (pw + s - 1) / s;
        final int planeSize = ph2 * pw2;
        final int tmp = s * s * planeSize + vl;
        final int flat = oh * pw2;
        for (int ch = 0; ch < c; ch++) {
            int ib = inOff + ch * h * wd;
            if (s == 1) {
                fillPlane(scratch, in, ib, h, wd, padTop, padLeft, ph2, pw2);
            } else {
                fillPhasePlanes(scratch, in, ib, h, wd, padTop, padLeft, ph2, pw2);
            }
            int wb = ch * k * k;
            FloatVector bv = FloatVector.broadcast(SPECIES, bias == null ? 0f : bias[ch]);
            for (int q = 0; q < flat; q += 2 * vl) {
                FloatVector a0 = bv;
                FloatVector a1 = bv;
                // One flat loop over the k*k taps (JDK 17's C2 keeps the accumulators in registers only then).
                // Tap (ky, kx) reads phase plane (dy mod s, dx mod s) at row dy / s, column dx / s.
                int rowAt = q;
                int ky = 0;
                int kx = 0;
                for (int t = 0; t < kk; t++) {
                    int dx = kx * dilation;
                    int at = rowAt + (s == 1 ? dx : (dx & 1) * planeSize + (dx >> 1));
                    FloatVector wv = FloatVector.broadcast(SPECIES, w[wb + t]);
                    a0 = FloatVector.fromArray(SPECIES, scratch, at).fma(wv, a0);
                    a1 = FloatVector.fromArray(SPECIES, scratch, at + vl).fma(wv, a1);
                    if (++kx == k) {
                        kx = 0;
                        ky++;
                        int dy = ky * dilation;
                        rowAt = q + (s == 1 ? dy * pw2 : ((dy & 1) * 2) * planeSize + (dy >> 1) * pw2);
                    }
                }
                a0.intoArray(scratch, tmp + q);
                a1.intoArray(scratch, tmp + q + vl);
            }
            int ob = outOff + ch * oh * ow;
            for (int oy = 0; oy < oh; oy++) {
                System.arraycopy(scratch, tmp + oy * pw2, out, ob + oy * ow, ow);
            }
        }
    }

    /** One zero-padded plane of width pw2: rows copied whole, padding filled with zeros. */
    private static void fillPlane(float[] plane, float[] in, int ib, int h, int wd, int padTop, int padLeft,
                                  int ph2, int pw2) {
        for (int r = 0; r < ph2; r++) {
            int y = r - padTop;
            int dst = r * pw2;
            if (y < 0 || y >= h) {
                java.util.Arrays.fill(plane, dst, dst + pw2, 0f);
                continue;
            }
            int x0 = Math.max(0, -padLeft);
            int x1 = Math.min(wd, pw2 - padLeft);
            java.util.Arrays.fill(plane, dst, dst + padLeft + x0, 0f);
            System.arraycopy(in, ib + y * wd + x0, plane, dst + padLeft + x0, x1 - x0);
            java.util.Arrays.fill(plane, dst + padLeft + x1, dst + pw2, 0f);
        }
    }

    /**
     * The four zero-padded phase planes of stride 2: plane (ry, rx) holds padded rows ry, ry+2, .. and padded
     * columns rx, rx+2, ..; each input row is split into its even and odd padded columns in two strided passes.
     */
    private static void fillPhasePlanes(float[] planes, float[] in, int ib, int h, int wd, int padTop,
                                        int padLeft, int ph2, int pw2) {
        int planeSize = ph2 * pw2;
        for (int ry = 0; ry < 2; ry++) {
            int even = (ry * 2) * planeSize;
            int odd = even + planeSize;
            for (int r2 = 0; r2 < ph2; r2++) {
                int y = r2 * 2 + ry - padTop;
                int e = even + r2 * pw2;
                int o = odd + r2 * pw2;
                java.util.Arrays.fill(planes, e, e + pw2, 0f);
                java.util.Arrays.fill(planes, o, o + pw2, 0f);
                if (y < 0 || y >= h) {
                    continue;
                }
                int src = ib + y * wd;
                // Input column x sits at padded column x + padLeft; keep those inside the planes' width.
                int xEnd = Math.min(wd, 2 * pw2 - padLeft);
                for (int x = Math.max(0, -padLeft); x < xEnd; x++) {
                    int px = x + padLeft;
                    planes[((px & 1) == 0 ? e : o) + (px >> 1)] = in[src + x];
                }
            }
        }
    }
}

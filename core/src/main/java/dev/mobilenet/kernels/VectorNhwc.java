package dev.mobilenet.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API twins of {@link ScalarNhwc}: channels sit in vector lanes, so every kernel works on whole vectors of
 * channels with no masks. Callers pad channel counts, row strides, weights and biases to a multiple of
 * {@link #lanes()}; the padding channels come out as the activation of zero. Only {@link Kernels} calls this class.
 */
final class VectorNhwc implements NhwcKernels {
    VectorNhwc() {
    }

    private static final VectorSpecies<Float> S = VectorShape.SPECIES;
    private static final int VL = S.length();
    /**
     * Pixels per point-wise tile. JDK 25's C2 keeps the 6x2 tile's fifteen vectors in registers; JDK 17's does not,
     * and there the 4x2 tile ran 1.8x faster (mobilenetv1_100, 256-bit lanes), while on JDK 25 it was 4% slower.
     * {@code -Dmobilenet.pointwise.tile=4} or {@code 6} overrides. Both tiles give the same bits.
     */
    static final int TILE = Integer.getInteger("mobilenet.pointwise.tile",
            Runtime.version().feature() >= 25 ? 6 : 4) == 6 ? 6 : 4;

    /**
     * With the 4x2 tile, an odd count of output vectors ends in one 3x3 tile (three pixels by three vectors) rather
     * than a two-vector panel and a one-vector tile, which needs a broadcast per FMA: mobilenetv2_100's 144->24
     * layer 0.46 -> 0.34 ms on JDK 17. With JDK 25's 6x2 tile the 3x3 tile was slower (0.33 -> 0.35 ms).
     */
    private static final boolean THREE_TAIL = TILE == 4;

    /** Input and output floats of one pixel block of the point-wise kernel: 384 KB, within a 1 MB L2. */
    private static final int PIXEL_BLOCK_FLOATS = 96 * 1024;

    static int lanes() {
        return VL;
    }

    @Override
    public int channelAlign() {
        return VL;
    }

    private static int padded(int c) {
        return (c + VL - 1) / VL * VL;
    }

    /**
     * Applies the activation, then adds the residual, to {@code rows} rows of {@code np} channels just written (still
     * in L1). A separate pass rather than code in the micro-kernels' stores: it keeps those small enough for C2 to
     * inline every vector operation, and the switch runs once per rows, not per vector.
     */
    private static void epilogue(float[] out, int o, int ldo, int rows, int np, Activation act, float[] res, int r,
                                 int ldr) {
        if (act != Activation.IDENTITY) {
            if (ldo == np) {
                activate(out, o, rows * np, act);
            } else {
                for (int row = 0; row < rows; row++) {
                    activate(out, o + row * ldo, np, act);
                }
            }
        }
        if (res != null) {
            for (int row = 0; row < rows; row++) {
                int a = o + row * ldo;
                int b = r + row * ldr;
                for (int i = 0; i < np; i += VL) {
                    FloatVector.fromArray(S, out, a + i).add(FloatVector.fromArray(S, res, b + i)).intoArray(out, a + i);
                }
            }
        }
    }

    /** The vector activations; a tail shorter than a vector uses {@link Activation#apply}, the same operations. */
    private static void activate(float[] x, int off, int len, Activation act) {
        if (act == Activation.IDENTITY) {
            return;
        }
        final int end = off + S.loopBound(len);
        int i = off;
        switch (act) {
            case RELU:
                for (; i < end; i += VL) {
                    FloatVector.fromArray(S, x, i).max(0f).intoArray(x, i);
                }
                break;
            case RELU6:
                for (; i < end; i += VL) {
                    FloatVector.fromArray(S, x, i).max(0f).min(6f).intoArray(x, i);
                }
                break;
            case HARD_SWISH:
                for (; i < end; i += VL) {
                    FloatVector v = FloatVector.fromArray(S, x, i);
                    v.mul(v.add(3f).max(0f).min(6f).div(6f)).intoArray(x, i);
                }
                break;
            case HARD_SIGMOID:
                for (; i < end; i += VL) {
                    FloatVector.fromArray(S, x, i).add(3f).max(0f).min(6f).div(6f).intoArray(x, i);
                }
                break;
            default:
                throw new AssertionError(act);
        }
        for (; i < off + len; i++) {
            x[i] = act.apply(x[i]);
        }
    }

    /**
     * Point-wise convolution as a GEMM over pixels: tiles of six pixels by two vectors of output channels keep
     * twelve accumulators in registers; each step loads two weight vectors and broadcasts six inputs. The micro-kernels
     * index the weights from the loop counter ({@code wb + ci * 2 * VL}) rather than a second induction variable, so
     * that C2 can hoist their bounds checks out of the loop.
     */
    @Override
    public void pointwise(float[] out, int outOff, int ldo, float[] in, int inOff, int ldi, float[] w, int panel,
                   float[] bias, Activation act, float[] res, int resOff, int ldr, int cin, int cout,
                   int p0, int p1) {
        if (panel != 2 * VL) {
            throw new IllegalArgumentException("weights packed for panels of " + panel + ", kernel needs " + 2 * VL);
        }
        final int np = padded(cout);
        // Pixels in blocks whose inputs and outputs stay in L2 while every weight panel passes over them; within a
        // block, one panel of two weight vectors per input channel serves all 6-pixel tiles before the next panel.
        // Tiles never reach past p1: threads own disjoint pixel ranges of the same output.
        final int block = Math.max(12, PIXEL_BLOCK_FLOATS / Math.max(cin, np) / 12 * 12);
        for (int p = p0; p < p1; ) {
            int end = Math.min(p1, p + block);
            int n = 0;
            for (; n + 2 * VL <= np && !(THREE_TAIL && np - n == 3 * VL); n += 2 * VL) {
                int q = p;
                if (TILE == 6) {
                    for (; q + 6 <= end; q += 6) {
                        pw6x2(out, outOff, ldo, in, inOff, ldi, w, n * cin, bias, cin, q, n);
                    }
                } else {
                    for (; q + 4 <= end; q += 4) {
                        pw4x2(out, outOff, ldo, in, inOff, ldi, w, n * cin, bias, cin, q, n);
                    }
                }
                if (q + 4 <= end) {
                    pw4x2(out, outOff, ldo, in, inOff, ldi, w, n * cin, bias, cin, q, n);
                    q += 4;
                }
                for (; q < end; q++) {
                    pw1x2(out, outOff, ldo, in, inOff, ldi, w, n * cin, bias, cin, q, n);
                }
            }
            if (THREE_TAIL && np - n == 3 * VL) {
                int wb2 = (n + 2 * VL) * cin;
                int q = p;
                for (; q + 3 <= end; q += 3) {
                    pw3x3(out, outOff, ldo, in, inOff, ldi, w, n * cin, wb2, bias, cin, q, n);
                }
                for (; q < end; q++) {
                    pw1x2(out, outOff, ldo, in, inOff, ldi, w, n * cin, bias, cin, q, n);
                    pw1x1(out, outOff, ldo, in, inOff, ldi, w, wb2, bias, cin, q, n + 2 * VL);
                }
            } else if (n < np) {
                int q = p;
                for (; q + 4 <= end; q += 4) {
                    pw4x1(out, outOff, ldo, in, inOff, ldi, w, n * cin, bias, cin, q, n);
                }
                for (; q < end; q++) {
                    pw1x1(out, outOff, ldo, in, inOff, ldi, w, n * cin, bias, cin, q, n);
                }
            }
            epilogue(out, outOff + p * ldo, ldo, end - p, np, act, res, resOff + p * ldr, ldr);
            p = end;
        }
    }

    private static void pw1x2(float[] out, int outOff, int ldo, float[] in, int inOff, int ldi, float[] w, int wb,
                              float[] bias, int cin, int p, int n) {
        FloatVector a0 = FloatVector.fromArray(S, bias, n);
        FloatVector a1 = FloatVector.fromArray(S, bias, n + VL);
        int x = inOff + p * ldi;
        for (int ci = 0; ci < cin; ci++) {
            int wi = wb + ci * (2 * VL);
            FloatVector b = FloatVector.broadcast(S, in[x + ci]);
            a0 = FloatVector.fromArray(S, w, wi).fma(b, a0);
            a1 = FloatVector.fromArray(S, w, wi + VL).fma(b, a1);
        }
        a0.intoArray(out, outOff + p * ldo + n);
        a1.intoArray(out, outOff + p * ldo + n + VL);
    }

    private static void pw1x1(float[] out, int outOff, int ldo, float[] in, int inOff, int ldi, float[] w, int wb,
                              float[] bias, int cin, int p, int n) {
        FloatVector a = FloatVector.fromArray(S, bias, n);
        int x = inOff + p * ldi;
        for (int ci = 0; ci < cin; ci++) {
            int wi = wb + ci * VL;
            a = FloatVector.fromArray(S, w, wi).fma(FloatVector.broadcast(S, in[x + ci]), a);
        }
        a.intoArray(out, outOff + p * ldo + n);
    }

    private static void pw6x2(float[] out, int outOff, int ldo, float[] in, int inOff, int ldi, float[] w, int wb,
                              float[] bias, int cin, int p, int n) {
        FloatVector a00 = FloatVector.fromArray(S, bias, n);
        FloatVector a01 = FloatVector.fromArray(S, bias, n + VL);
        FloatVector a10 = a00;
        FloatVector a11 = a01;
        FloatVector a20 = a00;
        FloatVector a21 = a01;
        FloatVector a30 = a00;
        FloatVector a31 = a01;
        FloatVector a40 = a00;
        FloatVector a41 = a01;
        FloatVector a50 = a00;
        FloatVector a51 = a01;
        int x0 = inOff + p * ldi;
        int x1 = x0 + ldi;
        int x2 = x1 + ldi;
        int x3 = x2 + ldi;
        int x4 = x3 + ldi;
        int x5 = x4 + ldi;
        for (int ci = 0; ci < cin; ci++) {
            int wi = wb + ci * (2 * VL);
            FloatVector w0 = FloatVector.fromArray(S, w, wi);
            FloatVector w1 = FloatVector.fromArray(S, w, wi + VL);
            FloatVector b = FloatVector.broadcast(S, in[x0 + ci]);
            a00 = w0.fma(b, a00);
            a01 = w1.fma(b, a01);
            b = FloatVector.broadcast(S, in[x1 + ci]);
            a10 = w0.fma(b, a10);
            a11 = w1.fma(b, a11);
            b = FloatVector.broadcast(S, in[x2 + ci]);
            a20 = w0.fma(b, a20);
            a21 = w1.fma(b, a21);
            b = FloatVector.broadcast(S, in[x3 + ci]);
            a30 = w0.fma(b, a30);
            a31 = w1.fma(b, a31);
            b = FloatVector.broadcast(S, in[x4 + ci]);
            a40 = w0.fma(b, a40);
            a41 = w1.fma(b, a41);
            b = FloatVector.broadcast(S, in[x5 + ci]);
            a50 = w0.fma(b, a50);
            a51 = w1.fma(b, a51);
        }
        int o = outOff + p * ldo + n;
        a00.intoArray(out, o);
        a01.intoArray(out, o + VL);
        a10.intoArray(out, o + ldo);
        a11.intoArray(out, o + ldo + VL);
        a20.intoArray(out, o + 2 * ldo);
        a21.intoArray(out, o + 2 * ldo + VL);
        a30.intoArray(out, o + 3 * ldo);
        a31.intoArray(out, o + 3 * ldo + VL);
        a40.intoArray(out, o + 4 * ldo);
        a41.intoArray(out, o + 4 * ldo + VL);
        a50.intoArray(out, o + 5 * ldo);
        a51.intoArray(out, o + 5 * ldo + VL);
    }

    private static void pw4x2(float[] out, int outOff, int ldo, float[] in, int inOff, int ldi, float[] w, int wb,
                              float[] bias, int cin, int p, int n) {
        FloatVector a00 = FloatVector.fromArray(S, bias, n);
        FloatVector a01 = FloatVector.fromArray(S, bias, n + VL);
        FloatVector a10 = a00;
        FloatVector a11 = a01;
        FloatVector a20 = a00;
        FloatVector a21 = a01;
        FloatVector a30 = a00;
        FloatVector a31 = a01;
        int x0 = inOff + p * ldi;
        int x1 = x0 + ldi;
        int x2 = x1 + ldi;
        int x3 = x2 + ldi;
        for (int ci = 0; ci < cin; ci++) {
            int wi = wb + ci * (2 * VL);
            FloatVector w0 = FloatVector.fromArray(S, w, wi);
            FloatVector w1 = FloatVector.fromArray(S, w, wi + VL);
            FloatVector b = FloatVector.broadcast(S, in[x0 + ci]);
            a00 = w0.fma(b, a00);
            a01 = w1.fma(b, a01);
            b = FloatVector.broadcast(S, in[x1 + ci]);
            a10 = w0.fma(b, a10);
            a11 = w1.fma(b, a11);
            b = FloatVector.broadcast(S, in[x2 + ci]);
            a20 = w0.fma(b, a20);
            a21 = w1.fma(b, a21);
            b = FloatVector.broadcast(S, in[x3 + ci]);
            a30 = w0.fma(b, a30);
            a31 = w1.fma(b, a31);
        }
        int o = outOff + p * ldo + n;
        a00.intoArray(out, o);
        a01.intoArray(out, o + VL);
        a10.intoArray(out, o + ldo);
        a11.intoArray(out, o + ldo + VL);
        a20.intoArray(out, o + 2 * ldo);
        a21.intoArray(out, o + 2 * ldo + VL);
        a30.intoArray(out, o + 3 * ldo);
        a31.intoArray(out, o + 3 * ldo + VL);
    }

    /**
     * Three pixels by three vectors of output channels: the first two from a two-vector panel ({@code wb}), the third
     * from the one-vector panel after it ({@code wb2}). Each output sums its inputs in the order of {@link #pw1x1}.
     */
    private static void pw3x3(float[] out, int outOff, int ldo, float[] in, int inOff, int ldi, float[] w, int wb,
                              int wb2, float[] bias, int cin, int p, int n) {
        FloatVector a00 = FloatVector.fromArray(S, bias, n);
        FloatVector a01 = FloatVector.fromArray(S, bias, n + VL);
        FloatVector a02 = FloatVector.fromArray(S, bias, n + 2 * VL);
        FloatVector a10 = a00;
        FloatVector a11 = a01;
        FloatVector a12 = a02;
        FloatVector a20 = a00;
        FloatVector a21 = a01;
        FloatVector a22 = a02;
        int x0 = inOff + p * ldi;
        int x1 = x0 + ldi;
        int x2 = x1 + ldi;
        for (int ci = 0; ci < cin; ci++) {
            int wi = wb + ci * (2 * VL);
            FloatVector w0 = FloatVector.fromArray(S, w, wi);
            FloatVector w1 = FloatVector.fromArray(S, w, wi + VL);
            FloatVector w2 = FloatVector.fromArray(S, w, wb2 + ci * VL);
            FloatVector b = FloatVector.broadcast(S, in[x0 + ci]);
            a00 = w0.fma(b, a00);
            a01 = w1.fma(b, a01);
            a02 = w2.fma(b, a02);
            b = FloatVector.broadcast(S, in[x1 + ci]);
            a10 = w0.fma(b, a10);
            a11 = w1.fma(b, a11);
            a12 = w2.fma(b, a12);
            b = FloatVector.broadcast(S, in[x2 + ci]);
            a20 = w0.fma(b, a20);
            a21 = w1.fma(b, a21);
            a22 = w2.fma(b, a22);
        }
        int o = outOff + p * ldo + n;
        a00.intoArray(out, o);
        a01.intoArray(out, o + VL);
        a02.intoArray(out, o + 2 * VL);
        a10.intoArray(out, o + ldo);
        a11.intoArray(out, o + ldo + VL);
        a12.intoArray(out, o + ldo + 2 * VL);
        a20.intoArray(out, o + 2 * ldo);
        a21.intoArray(out, o + 2 * ldo + VL);
        a22.intoArray(out, o + 2 * ldo + 2 * VL);
    }

    private static void pw4x1(float[] out, int outOff, int ldo, float[] in, int inOff, int ldi, float[] w, int wb,
                              float[] bias, int cin, int p, int n) {
        FloatVector a0 = FloatVector.fromArray(S, bias, n);
        FloatVector a1 = a0;
        FloatVector a2 = a0;
        FloatVector a3 = a0;
        int x0 = inOff + p * ldi;
        int x1 = x0 + ldi;
        int x2 = x1 + ldi;
        int x3 = x2 + ldi;
        for (int ci = 0; ci < cin; ci++) {
            int wi = wb + ci * VL;
            FloatVector w0 = FloatVector.fromArray(S, w, wi);
            a0 = w0.fma(FloatVector.broadcast(S, in[x0 + ci]), a0);
            a1 = w0.fma(FloatVector.broadcast(S, in[x1 + ci]), a1);
            a2 = w0.fma(FloatVector.broadcast(S, in[x2 + ci]), a2);
            a3 = w0.fma(FloatVector.broadcast(S, in[x3 + ci]), a3);
        }
        int o = outOff + p * ldo + n;
        a0.intoArray(out, o);
        a1.intoArray(out, o + ldo);
        a2.intoArray(out, o + 2 * ldo);
        a3.intoArray(out, o + 3 * ldo);
    }

    /**
     * Depthwise convolution. Interior pixels (every tap inside the input) run four at a time along the row, so each
     * weight vector loaded serves four accumulators; border pixels loop over their valid taps only.
     */
    @Override
    public void depthwise(float[] out, int outOff, int ldo, float[] in, int inOff, int ldi, float[] w, int ldw,
                   float[] bias, Activation act, int c, ConvGeom g, int oy0, int oy1) {
        final int k = g.k();
        final int s = g.stride();
        final int d = g.dilation();
        final int x0 = g.interiorX0();
        final int x1 = g.interiorX1();
        final int np = padded(c);
        // Identity, ReLU and ReLU6 are applied as each output vector is stored, as max(lo) then min(hi) (the same
        // operations as activate; max with -inf and min with +inf change nothing); the others in a pass per row.
        final float lo = act.clampLow();
        final float hi = act.clampHigh();
        // Interior rows go to a row kernel where there is one for the shape; rows with taps outside go to dw4 over
        // their valid kernel rows. Both need at least one group of four interior pixels.
        final boolean rowKernel = (k == 3 || k == 5) && d == 1 && (s == 1 || s == 2);
        final boolean groupsFit = x1 - x0 >= 4;
        for (int oy = oy0; oy < oy1; oy++) {
            int iy0 = oy * s - g.padTop();
            boolean rowInside = iy0 >= 0 && iy0 + (k - 1) * d < g.h();
            int ox = 0;
            if (groupsFit && (rowKernel || !rowInside)) {
                for (; ox < x0; ox++) {
                    dwChecked(out, outOff + (oy * g.ow() + ox) * ldo, in, inOff, ldi, w, ldw, bias, lo, hi, np, g,
                            iy0, ox * s - g.padLeft());
                }
                // The interior in groups of four; a remainder is covered by one more group ending at x1 that
                // overlaps the last (those pixels are computed twice, identically).
                int groups = (x1 - x0) / 4;
                int rowOut = outOff + oy * g.ow() * ldo;
                if (rowInside) {
                    int rowIn = inOff + (iy0 * g.w() - g.padLeft()) * ldi;
                    slideRow(out, rowOut + x0 * ldo, ldo, in, rowIn + x0 * s * ldi, ldi, w, ldw, bias, lo, hi, np,
                            groups, g);
                    if (x0 + 4 * groups < x1) {
                        int last = x1 - 4;
                        slideRow(out, rowOut + last * ldo, ldo, in, rowIn + last * s * ldi, ldi, w, ldw, bias, lo,
                                hi, np, 1, g);
                    }
                } else {
                    // A row with taps above or below the input: the valid kernel rows only, four pixels at a time.
                    int kyLo = Math.min(k, g.firstTap(iy0));
                    int kyHi = Math.max(kyLo, g.endTap(iy0, g.h()));
                    int rowIn = inOff + ((iy0 + kyLo * d) * g.w() - g.padLeft()) * ldi;
                    int taps = (kyHi - kyLo) * k;
                    int wOff = kyLo * k * ldw;
                    for (int gi = 0; gi < groups; gi++) {
                        int px = x0 + 4 * gi;
                        dw4(out, rowOut + px * ldo, ldo, in, rowIn + px * s * ldi, ldi, w, wOff, ldw, bias, lo, hi,
                                np, k, taps, s, d, g.w());
                    }
                    if (x0 + 4 * groups < x1) {
                        int px = x1 - 4;
                        dw4(out, rowOut + px * ldo, ldo, in, rowIn + px * s * ldi, ldi, w, wOff, ldw, bias, lo, hi,
                                np, k, taps, s, d, g.w());
                    }
                }
                ox = x1;
            }
            while (ox < g.ow()) {
                if (rowInside && ox >= x0 && ox + 4 <= x1) {
                    dw4(out, outOff + (oy * g.ow() + ox) * ldo, ldo, in,
                            inOff + (iy0 * g.w() + ox * s - g.padLeft()) * ldi, ldi, w, 0, ldw, bias, lo, hi, np, k,
                            k * k, s, d, g.w());
                    ox += 4;
                } else {
                    dwChecked(out, outOff + (oy * g.ow() + ox) * ldo, in, inOff, ldi, w, ldw, bias, lo, hi, np, g,
                            iy0, ox * s - g.padLeft());
                    ox++;
                }
            }
            if (!act.isClamp()) {
                epilogue(out, outOff + oy * g.ow() * ldo, ldo, g.ow(), np, act, null, 0, 0);
            }
        }
    }

    /** The row kernel for the geometry's kernel size (3 or 5) and stride (1 or 2). */
    private static void slideRow(float[] out, int o, int ldo, float[] in, int i, int ldi, float[] w, int ldw,
                                 float[] bias, float lo, float hi, int np, int groups, ConvGeom g) {
        int ldRow = g.w() * ldi;
        if (g.k() == 3 && g.stride() == 1) {
            dw3x3s1Row(out, o, ldo, in, i, ldi, ldRow, w, ldw, bias, lo, hi, np, groups);
        } else if (g.k() == 3) {
            dw3x3s2Row(out, o, ldo, in, i, ldi, ldRow, w, ldw, bias, lo, hi, np, groups);
        } else if (g.stride() == 1) {
            dw5x5s1Row(out, o, ldo, in, i, ldi, ldRow, w, ldw, bias, lo, hi, np, groups);
        } else {
            dw5x5s2Row(out, o, ldo, in, i, ldi, ldRow, w, ldw, bias, lo, hi, np, groups);
        }
    }

    /**
     * Four pixels along a row, {@code taps} taps each from weight {@code w0} on (whole kernel rows, so a border row
     * passes only its valid ones): four independent accumulators per weight vector loaded.
     */
    private static void dw4(float[] out, int o, int ldo, float[] in, int base, int ldi, float[] w, int w0, int ldw,
                            float[] bias, float lo, float hi, int np, int k, int taps, int s, int d, int wd) {
        final int step = s * ldi;
        for (int cv = 0; cv < np; cv += VL) {
            FloatVector a0 = FloatVector.fromArray(S, bias, cv);
            FloatVector a1 = a0;
            FloatVector a2 = a0;
            FloatVector a3 = a0;
            int row = base + cv;
            int kx = 0;
            int at = row;
            for (int t = 0; t < taps; t++) {
                FloatVector wv = FloatVector.fromArray(S, w, w0 + t * ldw + cv);
                a0 = FloatVector.fromArray(S, in, at).fma(wv, a0);
                a1 = FloatVector.fromArray(S, in, at + step).fma(wv, a1);
                a2 = FloatVector.fromArray(S, in, at + 2 * step).fma(wv, a2);
                a3 = FloatVector.fromArray(S, in, at + 3 * step).fma(wv, a3);
                if (++kx == k) {
                    kx = 0;
                    row += d * wd * ldi;
                    at = row;
                } else {
                    at += d * ldi;
                }
            }
            a0.max(lo).min(hi).intoArray(out, o + cv);
            a1.max(lo).min(hi).intoArray(out, o + ldo + cv);
            a2.max(lo).min(hi).intoArray(out, o + 2 * ldo + cv);
            a3.max(lo).min(hi).intoArray(out, o + 3 * ldo + cv);
        }
    }

    /**
     * Interior pixels of one output row of a 3x3 depthwise convolution with stride 1: for each vector of channels
     * the nine weight vectors stay in registers while four outputs at a time slide along the row, each input vector
     * loaded once per group for every output it feeds. Each output sums its taps in the order of {@link #dw4}.
     */
    private static void dw3x3s1Row(float[] out, int o, int ldo, float[] in, int i, int ldi, int ldRow, float[] w,
                                   int ldw, float[] bias, float lo, float hi, int np, int groups) {
        for (int cv = 0; cv < np; cv += VL) {
            FloatVector w00 = FloatVector.fromArray(S, w, cv);
            FloatVector w01 = FloatVector.fromArray(S, w, ldw + cv);
            FloatVector w02 = FloatVector.fromArray(S, w, 2 * ldw + cv);
            FloatVector w10 = FloatVector.fromArray(S, w, 3 * ldw + cv);
            FloatVector w11 = FloatVector.fromArray(S, w, 4 * ldw + cv);
            FloatVector w12 = FloatVector.fromArray(S, w, 5 * ldw + cv);
            FloatVector w20 = FloatVector.fromArray(S, w, 6 * ldw + cv);
            FloatVector w21 = FloatVector.fromArray(S, w, 7 * ldw + cv);
            FloatVector w22 = FloatVector.fromArray(S, w, 8 * ldw + cv);
            FloatVector bv = FloatVector.fromArray(S, bias, cv);
            for (int gi = 0; gi < groups; gi++) {
                int at = i + cv + gi * 4 * ldi;
                FloatVector a0 = bv;
                FloatVector a1 = bv;
                FloatVector a2 = bv;
                FloatVector a3 = bv;
                for (int ky = 0; ky < 3; ky++) {
                    FloatVector q0 = ky == 0 ? w00 : ky == 1 ? w10 : w20;
                    FloatVector q1 = ky == 0 ? w01 : ky == 1 ? w11 : w21;
                    FloatVector q2 = ky == 0 ? w02 : ky == 1 ? w12 : w22;
                    int r = at + ky * ldRow;
                    FloatVector x;
                    x = FloatVector.fromArray(S, in, r);
                    a0 = x.fma(q0, a0);
                    x = FloatVector.fromArray(S, in, r + ldi);
                    a0 = x.fma(q1, a0);
                    a1 = x.fma(q0, a1);
                    x = FloatVector.fromArray(S, in, r + 2 * ldi);
                    a0 = x.fma(q2, a0);
                    a1 = x.fma(q1, a1);
                    a2 = x.fma(q0, a2);
                    x = FloatVector.fromArray(S, in, r + 3 * ldi);
                    a1 = x.fma(q2, a1);
                    a2 = x.fma(q1, a2);
                    a3 = x.fma(q0, a3);
                    x = FloatVector.fromArray(S, in, r + 4 * ldi);
                    a2 = x.fma(q2, a2);
                    a3 = x.fma(q1, a3);
                    x = FloatVector.fromArray(S, in, r + 5 * ldi);
                    a3 = x.fma(q2, a3);
                }
                int q = o + cv + gi * 4 * ldo;
                a0.max(lo).min(hi).intoArray(out, q);
                a1.max(lo).min(hi).intoArray(out, q + ldo);
                a2.max(lo).min(hi).intoArray(out, q + 2 * ldo);
                a3.max(lo).min(hi).intoArray(out, q + 3 * ldo);
            }
        }
    }

    /**
     * Interior pixels of one output row of a 3x3 depthwise convolution with stride 2: for each vector of channels
     * the nine weight vectors stay in registers while four outputs at a time slide along the row, each input vector
     * loaded once per group for every output it feeds. Each output sums its taps in the order of {@link #dw4}.
     */
    private static void dw3x3s2Row(float[] out, int o, int ldo, float[] in, int i, int ldi, int ldRow, float[] w,
                                   int ldw, float[] bias, float lo, float hi, int np, int groups) {
        for (int cv = 0; cv < np; cv += VL) {
            FloatVector w00 = FloatVector.fromArray(S, w, cv);
            FloatVector w01 = FloatVector.fromArray(S, w, ldw + cv);
            FloatVector w02 = FloatVector.fromArray(S, w, 2 * ldw + cv);
            FloatVector w10 = FloatVector.fromArray(S, w, 3 * ldw + cv);
            FloatVector w11 = FloatVector.fromArray(S, w, 4 * ldw + cv);
            FloatVector w12 = FloatVector.fromArray(S, w, 5 * ldw + cv);
            FloatVector w20 = FloatVector.fromArray(S, w, 6 * ldw + cv);
            FloatVector w21 = FloatVector.fromArray(S, w, 7 * ldw + cv);
            FloatVector w22 = FloatVector.fromArray(S, w, 8 * ldw + cv);
            FloatVector bv = FloatVector.fromArray(S, bias, cv);
            for (int gi = 0; gi < groups; gi++) {
                int at = i + cv + gi * 8 * ldi;
                FloatVector a0 = bv;
                FloatVector a1 = bv;
                FloatVector a2 = bv;
                FloatVector a3 = bv;
                for (int ky = 0; ky < 3; ky++) {
                    FloatVector q0 = ky == 0 ? w00 : ky == 1 ? w10 : w20;
                    FloatVector q1 = ky == 0 ? w01 : ky == 1 ? w11 : w21;
                    FloatVector q2 = ky == 0 ? w02 : ky == 1 ? w12 : w22;
                    int r = at + ky * ldRow;
                    FloatVector x;
                    x = FloatVector.fromArray(S, in, r);
                    a0 = x.fma(q0, a0);
                    x = FloatVector.fromArray(S, in, r + ldi);
                    a0 = x.fma(q1, a0);
                    x = FloatVector.fromArray(S, in, r + 2 * ldi);
                    a0 = x.fma(q2, a0);
                    a1 = x.fma(q0, a1);
                    x = FloatVector.fromArray(S, in, r + 3 * ldi);
                    a1 = x.fma(q1, a1);
                    x = FloatVector.fromArray(S, in, r + 4 * ldi);
                    a1 = x.fma(q2, a1);
                    a2 = x.fma(q0, a2);
                    x = FloatVector.fromArray(S, in, r + 5 * ldi);
                    a2 = x.fma(q1, a2);
                    x = FloatVector.fromArray(S, in, r + 6 * ldi);
                    a2 = x.fma(q2, a2);
                    a3 = x.fma(q0, a3);
                    x = FloatVector.fromArray(S, in, r + 7 * ldi);
                    a3 = x.fma(q1, a3);
                    x = FloatVector.fromArray(S, in, r + 8 * ldi);
                    a3 = x.fma(q2, a3);
                }
                int q = o + cv + gi * 4 * ldo;
                a0.max(lo).min(hi).intoArray(out, q);
                a1.max(lo).min(hi).intoArray(out, q + ldo);
                a2.max(lo).min(hi).intoArray(out, q + 2 * ldo);
                a3.max(lo).min(hi).intoArray(out, q + 3 * ldo);
            }
        }
    }

    /**
     * {@link #dw3x3s1Row} for a 5x5 kernel with stride 1: the 25 weight vectors do not fit in registers, so each
     * group loads the five of a kernel row before that row's inputs.
     */
    private static void dw5x5s1Row(float[] out, int o, int ldo, float[] in, int i, int ldi, int ldRow, float[] w,
                                   int ldw, float[] bias, float lo, float hi, int np, int groups) {
        for (int cv = 0; cv < np; cv += VL) {
            FloatVector bv = FloatVector.fromArray(S, bias, cv);
            for (int gi = 0; gi < groups; gi++) {
                int at = i + cv + gi * 4 * ldi;
                FloatVector a0 = bv;
                FloatVector a1 = bv;
                FloatVector a2 = bv;
                FloatVector a3 = bv;
                for (int ky = 0; ky < 5; ky++) {
                    FloatVector q0 = FloatVector.fromArray(S, w, (ky * 5 + 0) * ldw + cv);
                    FloatVector q1 = FloatVector.fromArray(S, w, (ky * 5 + 1) * ldw + cv);
                    FloatVector q2 = FloatVector.fromArray(S, w, (ky * 5 + 2) * ldw + cv);
                    FloatVector q3 = FloatVector.fromArray(S, w, (ky * 5 + 3) * ldw + cv);
                    FloatVector q4 = FloatVector.fromArray(S, w, (ky * 5 + 4) * ldw + cv);
                    int r = at + ky * ldRow;
                    FloatVector x;
                    x = FloatVector.fromArray(S, in, r);
                    a0 = x.fma(q0, a0);
                    x = FloatVector.fromArray(S, in, r + ldi);
                    a0 = x.fma(q1, a0);
                    a1 = x.fma(q0, a1);
                    x = FloatVector.fromArray(S, in, r + 2 * ldi);
                    a0 = x.fma(q2, a0);
                    a1 = x.fma(q1, a1);
                    a2 = x.fma(q0, a2);
                    x = FloatVector.fromArray(S, in, r + 3 * ldi);
                    a0 = x.fma(q3, a0);
                    a1 = x.fma(q2, a1);
                    a2 = x.fma(q1, a2);
                    a3 = x.fma(q0, a3);
                    x = FloatVector.fromArray(S, in, r + 4 * ldi);
                    a0 = x.fma(q4, a0);
                    a1 = x.fma(q3, a1);
                    a2 = x.fma(q2, a2);
                    a3 = x.fma(q1, a3);
                    x = FloatVector.fromArray(S, in, r + 5 * ldi);
                    a1 = x.fma(q4, a1);
                    a2 = x.fma(q3, a2);
                    a3 = x.fma(q2, a3);
                    x = FloatVector.fromArray(S, in, r + 6 * ldi);
                    a2 = x.fma(q4, a2);
                    a3 = x.fma(q3, a3);
                    x = FloatVector.fromArray(S, in, r + 7 * ldi);
                    a3 = x.fma(q4, a3);
                }
                int q = o + cv + gi * 4 * ldo;
                a0.max(lo).min(hi).intoArray(out, q);
                a1.max(lo).min(hi).intoArray(out, q + ldo);
                a2.max(lo).min(hi).intoArray(out, q + 2 * ldo);
                a3.max(lo).min(hi).intoArray(out, q + 3 * ldo);
            }
        }
    }

    /**
     * {@link #dw3x3s1Row} for a 5x5 kernel with stride 2: the 25 weight vectors do not fit in registers, so each
     * group loads the five of a kernel row before that row's inputs.
     */
    private static void dw5x5s2Row(float[] out, int o, int ldo, float[] in, int i, int ldi, int ldRow, float[] w,
                                   int ldw, float[] bias, float lo, float hi, int np, int groups) {
        for (int cv = 0; cv < np; cv += VL) {
            FloatVector bv = FloatVector.fromArray(S, bias, cv);
            for (int gi = 0; gi < groups; gi++) {
                int at = i + cv + gi * 8 * ldi;
                FloatVector a0 = bv;
                FloatVector a1 = bv;
                FloatVector a2 = bv;
                FloatVector a3 = bv;
                for (int ky = 0; ky < 5; ky++) {
                    FloatVector q0 = FloatVector.fromArray(S, w, (ky * 5 + 0) * ldw + cv);
                    FloatVector q1 = FloatVector.fromArray(S, w, (ky * 5 + 1) * ldw + cv);
                    FloatVector q2 = FloatVector.fromArray(S, w, (ky * 5 + 2) * ldw + cv);
                    FloatVector q3 = FloatVector.fromArray(S, w, (ky * 5 + 3) * ldw + cv);
                    FloatVector q4 = FloatVector.fromArray(S, w, (ky * 5 + 4) * ldw + cv);
                    int r = at + ky * ldRow;
                    FloatVector x;
                    x = FloatVector.fromArray(S, in, r);
                    a0 = x.fma(q0, a0);
                    x = FloatVector.fromArray(S, in, r + ldi);
                    a0 = x.fma(q1, a0);
                    x = FloatVector.fromArray(S, in, r + 2 * ldi);
                    a0 = x.fma(q2, a0);
                    a1 = x.fma(q0, a1);
                    x = FloatVector.fromArray(S, in, r + 3 * ldi);
                    a0 = x.fma(q3, a0);
                    a1 = x.fma(q1, a1);
                    x = FloatVector.fromArray(S, in, r + 4 * ldi);
                    a0 = x.fma(q4, a0);
                    a1 = x.fma(q2, a1);
                    a2 = x.fma(q0, a2);
                    x = FloatVector.fromArray(S, in, r + 5 * ldi);
                    a1 = x.fma(q3, a1);
                    a2 = x.fma(q1, a2);
                    x = FloatVector.fromArray(S, in, r + 6 * ldi);
                    a1 = x.fma(q4, a1);
                    a2 = x.fma(q2, a2);
                    a3 = x.fma(q0, a3);
                    x = FloatVector.fromArray(S, in, r + 7 * ldi);
                    a2 = x.fma(q3, a2);
                    a3 = x.fma(q1, a3);
                    x = FloatVector.fromArray(S, in, r + 8 * ldi);
                    a2 = x.fma(q4, a2);
                    a3 = x.fma(q2, a3);
                    x = FloatVector.fromArray(S, in, r + 9 * ldi);
                    a3 = x.fma(q3, a3);
                    x = FloatVector.fromArray(S, in, r + 10 * ldi);
                    a3 = x.fma(q4, a3);
                }
                int q = o + cv + gi * 4 * ldo;
                a0.max(lo).min(hi).intoArray(out, q);
                a1.max(lo).min(hi).intoArray(out, q + ldo);
                a2.max(lo).min(hi).intoArray(out, q + 2 * ldo);
                a3.max(lo).min(hi).intoArray(out, q + 3 * ldo);
            }
        }
    }

    private static void dwChecked(float[] out, int o, float[] in, int inOff, int ldi, float[] w, int ldw,
                                  float[] bias, float lo, float hi, int np, ConvGeom g, int iy0, int ix0) {
        final int k = g.k();
        final int d = g.dilation();
        int kyLo = g.firstTap(iy0);
        int kyHi = g.endTap(iy0, g.h());
        int kxLo = g.firstTap(ix0);
        int kxHi = g.endTap(ix0, g.w());
        // One flat loop over the valid taps: C2 keeps a vector accumulator in a register across a single loop but
        // boxes it across nested ones.
        final int nx = kxHi - kxLo;
        final int taps = (kyHi - kyLo) * Math.max(nx, 0);
        final int rowStep = d * g.w() * ldi;
        final int first = inOff + ((iy0 + kyLo * d) * g.w() + ix0 + kxLo * d) * ldi;
        // Four vectors of channels at a time: four independent accumulator chains instead of one.
        int cv = 0;
        for (; cv + 4 * VL <= np; cv += 4 * VL) {
            FloatVector a0 = FloatVector.fromArray(S, bias, cv);
            FloatVector a1 = FloatVector.fromArray(S, bias, cv + VL);
            FloatVector a2 = FloatVector.fromArray(S, bias, cv + 2 * VL);
            FloatVector a3 = FloatVector.fromArray(S, bias, cv + 3 * VL);
            int row = first + cv;
            int at = row;
            int wRow = (kyLo * k + kxLo) * ldw + cv;
            int wi = wRow;
            int kx = 0;
            for (int t = 0; t < taps; t++) {
                a0 = FloatVector.fromArray(S, in, at).fma(FloatVector.fromArray(S, w, wi), a0);
                a1 = FloatVector.fromArray(S, in, at + VL).fma(FloatVector.fromArray(S, w, wi + VL), a1);
                a2 = FloatVector.fromArray(S, in, at + 2 * VL).fma(FloatVector.fromArray(S, w, wi + 2 * VL), a2);
                a3 = FloatVector.fromArray(S, in, at + 3 * VL).fma(FloatVector.fromArray(S, w, wi + 3 * VL), a3);
                if (++kx == nx) {
                    kx = 0;
                    row += rowStep;
                    at = row;
                    wRow += k * ldw;
                    wi = wRow;
                } else {
                    at += d * ldi;
                    wi += ldw;
                }
            }
            a0.max(lo).min(hi).intoArray(out, o + cv);
            a1.max(lo).min(hi).intoArray(out, o + cv + VL);
            a2.max(lo).min(hi).intoArray(out, o + cv + 2 * VL);
            a3.max(lo).min(hi).intoArray(out, o + cv + 3 * VL);
        }
        for (; cv < np; cv += VL) {
            FloatVector a = FloatVector.fromArray(S, bias, cv);
            int row = first + cv;
            int at = row;
            int wRow = (kyLo * k + kxLo) * ldw + cv;
            int wi = wRow;
            int kx = 0;
            for (int t = 0; t < taps; t++) {
                a = FloatVector.fromArray(S, in, at).fma(FloatVector.fromArray(S, w, wi), a);
                if (++kx == nx) {
                    kx = 0;
                    row += rowStep;
                    at = row;
                    wRow += k * ldw;
                    wi = wRow;
                } else {
                    at += d * ldi;
                    wi += ldw;
                }
            }
            a.max(lo).min(hi).intoArray(out, o + cv);
        }
    }

    /**
     * The stem: CHW input, HWC output, one pixel at a time over one or two vectors of output channels. The valid
     * taps and input channels run as one flat loop (C2 boxes vector accumulators carried across nested loops).
     */
    @Override
    public void convFromChw(float[] out, int outOff, int ldo, float[] in, int inOff, float[] w, int ldw,
                     float[] bias, Activation act, int cin, int cout, ConvGeom g, int oy0, int oy1) {
        final int np = padded(cout);
        final float lo = act.clampLow();
        final float hi = act.clampHigh();
        // Columns [xa, xb) have every horizontal tap inside. They run four at a time; when the count is not a multiple
        // of four, the last group overlaps the one before it (the overlapped pixels are computed twice, identically).
        final int xa = Math.min(g.interiorX0(), g.ow());
        final int xb = Math.max(xa, g.interiorX1());
        final int groups = xb - xa >= 4 ? (xb - xa + 3) / 4 : 0;
        for (int oy = oy0; oy < oy1; oy++) {
            int iy0 = oy * g.stride() - g.padTop();
            int kyLo = g.firstTap(iy0);
            int kyHi = g.endTap(iy0, g.h());
            for (int gi = 0; gi < groups; gi++) {
                int ox = Math.min(xa + 4 * gi, xb - 4);
                int ix0 = ox * g.stride() - g.padLeft();
                int o = outOff + (oy * g.ow() + ox) * ldo;
                int n = 0;
                for (; n + 2 * VL <= np; n += 2 * VL) {
                    if (cin == 3) {
                        stemPixels4x2Rgb(out, o + n, ldo, in, inOff, w, ldw, bias, lo, hi, n, g, iy0, ix0, kyLo,
                                kyHi);
                    } else {
                        stemPixels4x2(out, o + n, ldo, in, inOff, w, ldw, bias, lo, hi, n, cin, g, iy0, ix0, kyLo,
                                kyHi);
                    }
                }
                if (n < np) {
                    stemPixels4x1(out, o + n, ldo, in, inOff, w, ldw, bias, lo, hi, n, cin, g, iy0, ix0, kyLo, kyHi);
                }
            }
            for (int ox = 0; ox < g.ow(); ox++) {
                if (groups > 0 && ox == xa) {
                    ox = xb - 1;
                    continue;
                }
                int ix0 = ox * g.stride() - g.padLeft();
                int o = outOff + (oy * g.ow() + ox) * ldo;
                int kxLo = g.firstTap(ix0);
                int kxHi = g.endTap(ix0, g.w());
                int n = 0;
                for (; n + 2 * VL <= np; n += 2 * VL) {
                    stemPixel2(out, o + n, in, inOff, w, ldw, bias, lo, hi, n, cin, g, iy0, ix0, kyLo, kyHi, kxLo,
                            kxHi);
                }
                if (n < np) {
                    stemPixel1(out, o + n, in, inOff, w, ldw, bias, lo, hi, n, cin, g, iy0, ix0, kyLo, kyHi, kxLo,
                            kxHi);
                }
            }
            if (!act.isClamp()) {
                epilogue(out, outOff + oy * g.ow() * ldo, ldo, g.ow(), np, act, null, 0, 0);
            }
        }
    }

    /**
     * Four neighbouring pixels of a row whose taps are all inside horizontally, over two vectors of output channels:
     * eight independent accumulators instead of two keep the FMA units busy (one pixel's chain of 27 dependent FMAs
     * waits on their latency). Each accumulator sums its taps in the same order as {@link #stemPixel2}.
     */
    private static void stemPixels4x2(float[] out, int o, int ldo, float[] in, int inOff, float[] w, int ldw,
                                      float[] bias, float lo, float hi, int n, int cin, ConvGeom g, int iy0, int ix0,
                                      int kyLo, int kyHi) {
        final int k = g.k();
        final int d = g.dilation();
        final int s = g.stride();
        final int plane = g.h() * g.w();
        final int total = (kyHi - kyLo) * k * cin;
        FloatVector a00 = FloatVector.fromArray(S, bias, n);
        FloatVector a01 = FloatVector.fromArray(S, bias, n + VL);
        FloatVector a10 = a00;
        FloatVector a11 = a01;
        FloatVector a20 = a00;
        FloatVector a21 = a01;
        FloatVector a30 = a00;
        FloatVector a31 = a01;
        int ky = kyLo;
        int kx = 0;
        int ci = 0;
        int x = inOff + (iy0 + ky * d) * g.w() + ix0;
        int wi = ky * k * cin * ldw + n;
        for (int t = 0; t < total; t++) {
            FloatVector w0 = FloatVector.fromArray(S, w, wi);
            FloatVector w1 = FloatVector.fromArray(S, w, wi + VL);
            FloatVector b = FloatVector.broadcast(S, in[x]);
            a00 = w0.fma(b, a00);
            a01 = w1.fma(b, a01);
            b = FloatVector.broadcast(S, in[x + s]);
            a10 = w0.fma(b, a10);
            a11 = w1.fma(b, a11);
            b = FloatVector.broadcast(S, in[x + 2 * s]);
            a20 = w0.fma(b, a20);
            a21 = w1.fma(b, a21);
            b = FloatVector.broadcast(S, in[x + 3 * s]);
            a30 = w0.fma(b, a30);
            a31 = w1.fma(b, a31);
            if (++ci == cin) {
                ci = 0;
                if (++kx == k) {
                    kx = 0;
                    ky++;
                }
                x = inOff + (iy0 + ky * d) * g.w() + ix0 + kx * d;
                wi = (ky * k + kx) * cin * ldw + n;
            } else {
                x += plane;
                wi += ldw;
            }
        }
        a00.max(lo).min(hi).intoArray(out, o);
        a01.max(lo).min(hi).intoArray(out, o + VL);
        a10.max(lo).min(hi).intoArray(out, o + ldo);
        a11.max(lo).min(hi).intoArray(out, o + ldo + VL);
        a20.max(lo).min(hi).intoArray(out, o + 2 * ldo);
        a21.max(lo).min(hi).intoArray(out, o + 2 * ldo + VL);
        a30.max(lo).min(hi).intoArray(out, o + 3 * ldo);
        a31.max(lo).min(hi).intoArray(out, o + 3 * ldo + VL);
    }

    /**
     * {@link #stemPixels4x2} for three input channels (RGB), the three channels of a tap in one step: a third of the
     * loop's index bookkeeping per multiply-add, the same order of sums. Not generalised to any channel count: an inner
     * loop of variable length ran 14% slower on JDK 25 and made JDK 17's C2 box the accumulators (13x slower).
     */
    private static void stemPixels4x2Rgb(float[] out, int o, int ldo, float[] in, int inOff, float[] w, int ldw,
                                         float[] bias, float lo, float hi, int n, ConvGeom g, int iy0, int ix0,
                                         int kyLo, int kyHi) {
        final int k = g.k();
        final int d = g.dilation();
        final int s = g.stride();
        final int plane = g.h() * g.w();
        final int taps = (kyHi - kyLo) * k;
        FloatVector a00 = FloatVector.fromArray(S, bias, n);
        FloatVector a01 = FloatVector.fromArray(S, bias, n + VL);
        FloatVector a10 = a00;
        FloatVector a11 = a01;
        FloatVector a20 = a00;
        FloatVector a21 = a01;
        FloatVector a30 = a00;
        FloatVector a31 = a01;
        int kx = 0;
        int row = inOff + (iy0 + kyLo * d) * g.w() + ix0;
        int x = row;
        int wi = kyLo * k * 3 * ldw + n;
        for (int t = 0; t < taps; t++) {
            for (int ci = 0; ci < 3; ci++) {
                int xc = x + ci * plane;
                int wc = wi + ci * ldw;
                FloatVector w0 = FloatVector.fromArray(S, w, wc);
                FloatVector w1 = FloatVector.fromArray(S, w, wc + VL);
                FloatVector b = FloatVector.broadcast(S, in[xc]);
                a00 = w0.fma(b, a00);
                a01 = w1.fma(b, a01);
                b = FloatVector.broadcast(S, in[xc + s]);
                a10 = w0.fma(b, a10);
                a11 = w1.fma(b, a11);
                b = FloatVector.broadcast(S, in[xc + 2 * s]);
                a20 = w0.fma(b, a20);
                a21 = w1.fma(b, a21);
                b = FloatVector.broadcast(S, in[xc + 3 * s]);
                a30 = w0.fma(b, a30);
                a31 = w1.fma(b, a31);
            }
            wi += 3 * ldw;
            if (++kx == k) {
                kx = 0;
                row += d * g.w();
                x = row;
            } else {
                x += d;
            }
        }
        a00.max(lo).min(hi).intoArray(out, o);
        a01.max(lo).min(hi).intoArray(out, o + VL);
        a10.max(lo).min(hi).intoArray(out, o + ldo);
        a11.max(lo).min(hi).intoArray(out, o + ldo + VL);
        a20.max(lo).min(hi).intoArray(out, o + 2 * ldo);
        a21.max(lo).min(hi).intoArray(out, o + 2 * ldo + VL);
        a30.max(lo).min(hi).intoArray(out, o + 3 * ldo);
        a31.max(lo).min(hi).intoArray(out, o + 3 * ldo + VL);
    }

    /** {@link #stemPixels4x2} over one vector of output channels. */
    private static void stemPixels4x1(float[] out, int o, int ldo, float[] in, int inOff, float[] w, int ldw,
                                      float[] bias, float lo, float hi, int n, int cin, ConvGeom g, int iy0, int ix0,
                                      int kyLo, int kyHi) {
        final int k = g.k();
        final int d = g.dilation();
        final int s = g.stride();
        final int plane = g.h() * g.w();
        final int total = (kyHi - kyLo) * k * cin;
        FloatVector a0 = FloatVector.fromArray(S, bias, n);
        FloatVector a1 = a0;
        FloatVector a2 = a0;
        FloatVector a3 = a0;
        int ky = kyLo;
        int kx = 0;
        int ci = 0;
        int x = inOff + (iy0 + ky * d) * g.w() + ix0;
        int wi = ky * k * cin * ldw + n;
        for (int t = 0; t < total; t++) {
            FloatVector w0 = FloatVector.fromArray(S, w, wi);
            a0 = w0.fma(FloatVector.broadcast(S, in[x]), a0);
            a1 = w0.fma(FloatVector.broadcast(S, in[x + s]), a1);
            a2 = w0.fma(FloatVector.broadcast(S, in[x + 2 * s]), a2);
            a3 = w0.fma(FloatVector.broadcast(S, in[x + 3 * s]), a3);
            if (++ci == cin) {
                ci = 0;
                if (++kx == k) {
                    kx = 0;
                    ky++;
                }
                x = inOff + (iy0 + ky * d) * g.w() + ix0 + kx * d;
                wi = (ky * k + kx) * cin * ldw + n;
            } else {
                x += plane;
                wi += ldw;
            }
        }
        a0.max(lo).min(hi).intoArray(out, o);
        a1.max(lo).min(hi).intoArray(out, o + ldo);
        a2.max(lo).min(hi).intoArray(out, o + 2 * ldo);
        a3.max(lo).min(hi).intoArray(out, o + 3 * ldo);
    }

    private static void stemPixel2(float[] out, int o, float[] in, int inOff, float[] w, int ldw, float[] bias,
                                   float lo, float hi, int n, int cin, ConvGeom g, int iy0, int ix0, int kyLo,
                                   int kyHi, int kxLo, int kxHi) {
        final int k = g.k();
        final int d = g.dilation();
        final int plane = g.h() * g.w();
        final int nx = kxHi - kxLo;
        final int total = (kyHi - kyLo) * Math.max(nx, 0) * cin;
        FloatVector a0 = FloatVector.fromArray(S, bias, n);
        FloatVector a1 = FloatVector.fromArray(S, bias, n + VL);
        int ky = kyLo;
        int kx = kxLo;
        int ci = 0;
        int x = inOff + (iy0 + ky * d) * g.w() + ix0 + kx * d;
        int wi = (ky * k + kx) * cin * ldw + n;
        for (int t = 0; t < total; t++) {
            FloatVector b = FloatVector.broadcast(S, in[x]);
            a0 = FloatVector.fromArray(S, w, wi).fma(b, a0);
            a1 = FloatVector.fromArray(S, w, wi + VL).fma(b, a1);
            if (++ci == cin) {
                ci = 0;
                if (++kx == kxHi) {
                    kx = kxLo;
                    ky++;
                }
                x = inOff + (iy0 + ky * d) * g.w() + ix0 + kx * d;
                wi = (ky * k + kx) * cin * ldw + n;
            } else {
                x += plane;
                wi += ldw;
            }
        }
        a0.max(lo).min(hi).intoArray(out, o);
        a1.max(lo).min(hi).intoArray(out, o + VL);
    }

    private static void stemPixel1(float[] out, int o, float[] in, int inOff, float[] w, int ldw, float[] bias,
                                   float lo, float hi, int n, int cin, ConvGeom g, int iy0, int ix0, int kyLo,
                                   int kyHi, int kxLo, int kxHi) {
        final int k = g.k();
        final int d = g.dilation();
        final int plane = g.h() * g.w();
        final int nx = kxHi - kxLo;
        final int total = (kyHi - kyLo) * Math.max(nx, 0) * cin;
        FloatVector a0 = FloatVector.fromArray(S, bias, n);
        int ky = kyLo;
        int kx = kxLo;
        int ci = 0;
        int x = inOff + (iy0 + ky * d) * g.w() + ix0 + kx * d;
        int wi = (ky * k + kx) * cin * ldw + n;
        for (int t = 0; t < total; t++) {
            a0 = FloatVector.fromArray(S, w, wi).fma(FloatVector.broadcast(S, in[x]), a0);
            if (++ci == cin) {
                ci = 0;
                if (++kx == kxHi) {
                    kx = kxLo;
                    ky++;
                }
                x = inOff + (iy0 + ky * d) * g.w() + ix0 + kx * d;
                wi = (ky * k + kx) * cin * ldw + n;
            } else {
                x += plane;
                wi += ldw;
            }
        }
        a0.max(lo).min(hi).intoArray(out, o);
    }

    @Override
    public void globalAvgPool(float[] out, int outOff, float[] in, int inOff, int ldi, int c, int hw) {
        final int np = padded(c);
        for (int cv = 0; cv < np; cv += VL) {
            FloatVector s = FloatVector.zero(S);
            for (int p = 0, x = inOff + cv; p < hw; p++, x += ldi) {
                s = s.add(FloatVector.fromArray(S, in, x));
            }
            s.div((float) hw).intoArray(out, outOff + cv);
        }
    }

    @Override
    public void channelScale(float[] x, int off, int ld, float[] gate, int gateOff, int c, int hw) {
        final int np = padded(c);
        for (int p = 0, at = off; p < hw; p++, at += ld) {
            for (int cv = 0; cv < np; cv += VL) {
                FloatVector.fromArray(S, x, at + cv).mul(FloatVector.fromArray(S, gate, gateOff + cv))
                        .intoArray(x, at + cv);
            }
        }
    }

    /** The general grouped convolution has no vector twin: it runs only for shapes no other kernel covers. */
    @Override
    public void conv(float[] out, int outOff, int ldo, float[] in, int inOff, int ldi, float[] w, float[] bias,
                     Activation act, int cin, int cout, int groups, ConvGeom g, int oy0, int oy1) {
        ScalarNhwc.INSTANCE.conv(out, outOff, ldo, in, inOff, ldi, w, bias, act, cin, cout, groups, g, oy0, oy1);
    }

    @Override
    public void matvec(float[] out, int outOff, float[] x, int xOff, float[] w, float[] bias, int inDim, int o0,
                       int o1) {
        final int bound = S.loopBound(inDim);
        int o = o0;
        // Four rows at a time: four independent FMA chains share each load of x. Every row still sums its products
        // in the order of the one-row loop below, so the results are the same bits.
        for (; o + 4 <= o1; o += 4) {
            int w0 = o * inDim;
            int w1 = w0 + inDim;
            int w2 = w1 + inDim;
            int w3 = w2 + inDim;
            FloatVector c0 = FloatVector.zero(S);
            FloatVector c1 = c0;
            FloatVector c2 = c0;
            FloatVector c3 = c0;
            for (int i = 0; i < bound; i += VL) {
                FloatVector xv = FloatVector.fromArray(S, x, xOff + i);
                c0 = FloatVector.fromArray(S, w, w0 + i).fma(xv, c0);
                c1 = FloatVector.fromArray(S, w, w1 + i).fma(xv, c1);
                c2 = FloatVector.fromArray(S, w, w2 + i).fma(xv, c2);
                c3 = FloatVector.fromArray(S, w, w3 + i).fma(xv, c3);
            }
            out[outOff + o] = rowEnd(c0, x, xOff, w, w0, bound, inDim, bias, o);
            out[outOff + o + 1] = rowEnd(c1, x, xOff, w, w1, bound, inDim, bias, o + 1);
            out[outOff + o + 2] = rowEnd(c2, x, xOff, w, w2, bound, inDim, bias, o + 2);
            out[outOff + o + 3] = rowEnd(c3, x, xOff, w, w3, bound, inDim, bias, o + 3);
        }
        for (; o < o1; o++) {
            int wb = o * inDim;
            FloatVector acc = FloatVector.zero(S);
            for (int i = 0; i < bound; i += VL) {
                acc = FloatVector.fromArray(S, w, wb + i).fma(FloatVector.fromArray(S, x, xOff + i), acc);
            }
            out[outOff + o] = rowEnd(acc, x, xOff, w, wb, bound, inDim, bias, o);
        }
    }

    /**
     * One matvec row's lanes summed in a fixed order (reduceLanes' order differs between the intrinsic and the
     * interpreter, which would make results depend on JIT state), then its scalar tail and bias.
     */
    private static float rowEnd(FloatVector acc, float[] x, int xOff, float[] w, int wb, int bound, int inDim,
                                float[] bias, int o) {
        float s = 0f;
        for (int l = 0; l < VL; l++) {
            s += acc.lane(l);
        }
        for (int i = bound; i < inDim; i++) {
            s += w[wb + i] * x[xOff + i];
        }
        return s + (bias == null ? 0f : bias[o]);
    }

    @Override
    public void activation(float[] x, int off, int len, Activation act) {
        activate(x, off, len, act);
    }

    @Override
    public void add(float[] out, int outOff, float[] in, int inOff, int len) {
        final int bound = S.loopBound(len);
        int i = 0;
        for (; i < bound; i += VL) {
            FloatVector.fromArray(S, out, outOff + i).add(FloatVector.fromArray(S, in, inOff + i))
                    .intoArray(out, outOff + i);
        }
        for (; i < len; i++) {
            out[outOff + i] += in[inOff + i];
        }
    }
}

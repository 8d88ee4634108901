package dev.mobilenet.training.kernels;

import dev.mobilenet.kernels.Activation;
import dev.mobilenet.kernels.VectorShape;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The Vector API implementation of {@link BackpropKernels} (same results as {@link ScalarBackprop} up to float
 * rounding; activations bit-equal). {@link TrainKernels} creates it only when core's kernels are vectorized.
 */
final class VectorBackprop extends DepthwiseLoops {
    VectorBackprop() {
    }

    private static final VectorSpecies<Float> SPECIES = VectorShape.SPECIES;

    /** Columns of B per cache block: a block of K rows fits in about 256 KB. */
    private static final int BLOCK_FLOATS = 64 * 1024;

    /**
     * C[M,N] (+)= A[M,K] * B[K,N] in register tiles of four rows by one vector of columns, each accumulated over
     * all of K before it is stored; the last columns that do not fill a vector and the last rows go scalar.
     */
    @Override
    public void gemm(float[] c, int cOff, float[] a, int aOff, float[] b, int bOff, int m, int n, int k,
              boolean accumulate) {
        gemm(c, cOff, a, aOff, k, 1, b, bOff, m, n, k, accumulate);
    }

    /** C[M,N] (+)= A^T * B with A stored as [K,M]: {@link TrainKernels#gemmTN}'s twin. */
    @Override
    public void gemmTN(float[] c, int cOff, float[] a, int aOff, float[] b, int bOff, int m, int n, int k,
                boolean accumulate) {
        gemm(c, cOff, a, aOff, 1, m, b, bOff, m, n, k, accumulate);
    }

    /**
     * The product with A(i, p) at a[aOff + i * rowStride + p * colStride]: tiles of four rows by two vectors (over
     * blocks of columns, so the block of B stays in cache while every row of A passes), then four rows by one vector, each summed from zero over all of K in registers and added to C once.
     */
    private static void gemm(float[] c, int cOff, float[] a, int aOff, int rowStride, int colStride, float[] b,
                             int bOff, int m, int n, int k, boolean accumulate) {
        int lanes = SPECIES.length();
        int nv = n - n % lanes;
        int nv2 = n - n % (2 * lanes);
        int block = Math.max(2 * lanes, BLOCK_FLOATS / Math.max(1, k) / (2 * lanes) * (2 * lanes));
        int i = 0;
        if (m >= 4) {
            for (int j0 = 0; j0 < nv2; j0 += block) {
                int j1 = Math.min(nv2, j0 + block);
                for (int r = 0; r + 3 < m; r += 4) {
                    int a0 = aOff + r * rowStride;
                    int c0 = cOff + r * n;
                    for (int j = j0; j < j1; j += 2 * lanes) {
                        tile4x2(c, c0 + j, n, a, a0, rowStride, colStride, b, bOff + j, k, accumulate);
                    }
                }
            }
        }
        for (; i + 3 < m; i += 4) {
            int a0 = aOff + i * rowStride;
            int c0 = cOff + i * n;
            for (int j = nv2; j < nv; j += lanes) {
                tile4x1(c, c0 + j, n, a, a0, rowStride, colStride, b, bOff + j, k, accumulate);
            }
            if (nv < n && n >= lanes) {
                tail4(c, c0, n, a, a0, rowStride, colStride, b, bOff, k, nv, accumulate);
            } else if (nv < n) {
                for (int r = 0; r < 4; r++) {
                    scalarRow(c, c0 + r * n, a, a0 + r * rowStride, colStride, b, bOff, n, k, nv, accumulate);
                }
            }
        }
        for (; i < m; i++) {
            int a0 = aOff + i * rowStride;
            int c0 = cOff + i * n;
            for (int j = 0; j < nv; j += lanes) {
                FloatVector s = FloatVector.zero(SPECIES);
                int bp = bOff + j;
                for (int p = 0, ap = a0; p < k; p++, bp += n, ap += colStride) {
                    s = FloatVector.fromArray(SPECIES, b, bp).fma(FloatVector.broadcast(SPECIES, a[ap]), s);
                }
                if (accumulate) {
                    s = s.add(FloatVector.fromArray(SPECIES, c, c0 + j));
                }
                s.intoArray(c, c0 + j);
            }
            if (nv < n && n >= lanes) {
                tail1(c, c0, n, a, a0, colStride, b, bOff, k, nv, accumulate);
            } else if (nv < n) {
                scalarRow(c, c0, a, a0, colStride, b, bOff, n, k, nv, accumulate);
            }
        }
    }

    private static void tile4x2(float[] c, int ci, int n, float[] a, int a0, int rowStride, int colStride, float[] b,
                                int bp, int k, boolean accumulate) {
        int lanes = SPECIES.length();
        FloatVector s00 = FloatVector.zero(SPECIES);
        FloatVector s01 = s00;
        FloatVector s10 = s00;
        FloatVector s11 = s00;
        FloatVector s20 = s00;
        FloatVector s21 = s00;
        FloatVector s30 = s00;
        FloatVector s31 = s00;
        for (int p = 0, ap = a0; p < k; p++, bp += n, ap += colStride) {
            FloatVector b0 = FloatVector.fromArray(SPECIES, b, bp);
            FloatVector b1 = FloatVector.fromArray(SPECIES, b, bp + lanes);
            FloatVector x = FloatVector.broadcast(SPECIES, a[ap]);
            s00 = b0.fma(x, s00);
            s01 = b1.fma(x, s01);
            x = FloatVector.broadcast(SPECIES, a[ap + rowStride]);
            s10 = b0.fma(x, s10);
            s11 = b1.fma(x, s11);
            x = FloatVector.broadcast(SPECIES, a[ap + 2 * rowStride]);
            s20 = b0.fma(x, s20);
            s21 = b1.fma(x, s21);
            x = FloatVector.broadcast(SPECIES, a[ap + 3 * rowStride]);
            s30 = b0.fma(x, s30);
            s31 = b1.fma(x, s31);
        }
        store(c, ci, s00, accumulate);
        store(c, ci + lanes, s01, accumulate);
        store(c, ci + n, s10, accumulate);
        store(c, ci + n + lanes, s11, accumulate);
        store(c, ci + 2 * n, s20, accumulate);
        store(c, ci + 2 * n + lanes, s21, accumulate);
        store(c, ci + 3 * n, s30, accumulate);
        store(c, ci + 3 * n + lanes, s31, accumulate);
    }

    private static void tile4x1(float[] c, int ci, int n, float[] a, int a0, int rowStride, int colStride, float[] b,
                                int bp, int k, boolean accumulate) {
        FloatVector s0 = FloatVector.zero(SPECIES);
        FloatVector s1 = s0;
        FloatVector s2 = s0;
        FloatVector s3 = s0;
        for (int p = 0, ap = a0; p < k; p++, bp += n, ap += colStride) {
            FloatVector bv = FloatVector.fromArray(SPECIES, b, bp);
            s0 = bv.fma(FloatVector.broadcast(SPECIES, a[ap]), s0);
            s1 = bv.fma(FloatVector.broadcast(SPECIES, a[ap + rowStride]), s1);
            s2 = bv.fma(FloatVector.broadcast(SPECIES, a[ap + 2 * rowStride]), s2);
            s3 = bv.fma(FloatVector.broadcast(SPECIES, a[ap + 3 * rowStride]), s3);
        }
        store(c, ci, s0, accumulate);
        store(c, ci + n, s1, accumulate);
        store(c, ci + 2 * n, s2, accumulate);
        store(c, ci + 3 * n, s3, accumulate);
    }

    /** Lanes [0, L) false, [L, 2L) true: a mask from offset t has lanes l >= L - t set. */
    private static final boolean[] TAIL_MASKS = new boolean[2 * SPECIES.length()];

    static {
        java.util.Arrays.fill(TAIL_MASKS, SPECIES.length(), TAIL_MASKS.length, true);
    }

    /**
     * Columns [nv, n) of four rows (n >= lanes) as the last full vector of the row, at n - lanes: summed from zero
     * over all of K like every other column, and only the lanes from nv on are written back (a blend with C as it
     * is), so the columns before nv keep what their own tiles stored.
     */
    private static void tail4(float[] c, int c0, int n, float[] a, int a0, int rowStride, int colStride, float[] b,
                              int bOff, int k, int nv, boolean accumulate) {
        int lanes = SPECIES.length();
        int j = n - lanes;
        VectorMask<Float> mine = VectorMask.fromArray(SPECIES, TAIL_MASKS, n - nv);
        FloatVector s0 = FloatVector.zero(SPECIES);
        FloatVector s1 = s0;
        FloatVector s2 = s0;
        FloatVector s3 = s0;
        for (int p = 0, ap = a0, bp = bOff + j; p < k; p++, bp += n, ap += colStride) {
            FloatVector bv = FloatVector.fromArray(SPECIES, b, bp);
            s0 = bv.fma(FloatVector.broadcast(SPECIES, a[ap]), s0);
            s1 = bv.fma(FloatVector.broadcast(SPECIES, a[ap + rowStride]), s1);
            s2 = bv.fma(FloatVector.broadcast(SPECIES, a[ap + 2 * rowStride]), s2);
            s3 = bv.fma(FloatVector.broadcast(SPECIES, a[ap + 3 * rowStride]), s3);
        }
        storeLanes(c, c0 + j, s0, accumulate, mine);
        storeLanes(c, c0 + n + j, s1, accumulate, mine);
        storeLanes(c, c0 + 2 * n + j, s2, accumulate, mine);
        storeLanes(c, c0 + 3 * n + j, s3, accumulate, mine);
    }

    /** {@link #tail4} for one row: the same sums, so a row's results do not depend on how rows are grouped. */
    private static void tail1(float[] c, int c0, int n, float[] a, int a0, int colStride, float[] b, int bOff, int k,
                              int nv, boolean accumulate) {
        int j = n - SPECIES.length();
        FloatVector s0 = FloatVector.zero(SPECIES);
        for (int p = 0, ap = a0, bp = bOff + j; p < k; p++, bp += n, ap += colStride) {
            s0 = FloatVector.fromArray(SPECIES, b, bp).fma(FloatVector.broadcast(SPECIES, a[ap]), s0);
        }
        storeLanes(c, c0 + j, s0, accumulate, VectorMask.fromArray(SPECIES, TAIL_MASKS, n - nv));
    }

    private static void storeLanes(float[] c, int ci, FloatVector s, boolean accumulate, VectorMask<Float> mine) {
        FloatVector cur = FloatVector.fromArray(SPECIES, c, ci);
        cur.blend(accumulate ? s.add(cur) : s, mine).intoArray(c, ci);
    }

    private static void store(float[] c, int ci, FloatVector s, boolean accumulate) {
        (accumulate ? s.add(FloatVector.fromArray(SPECIES, c, ci)) : s).intoArray(c, ci);
    }

    private static void scalarRow(float[] c, int ci, float[] a, int ai, int colStride, float[] b, int bOff, int n,
                                  int k, int from, boolean accumulate) {
        for (int j = from; j < n; j++) {
            float s = accumulate ? c[ci + j] : 0f;
            for (int p = 0; p < k; p++) {
                s = Math.fma(a[ai + p * colStride], b[bOff + p * n + j], s);
            }
            c[ci + j] = s;
        }
    }

    /*
     * Depthwise convolutions over whole planes (dilation 1, stride 1 or 2): each channel's input is split into its
     * stride x stride phases (rows and columns of one parity for stride 2), zero-padded, at a row width wq of the output
     * width plus the kernel's reach, so that one tap reads one phase at a fixed offset from the output position and
     * the whole output plane (at width wq; the extra columns are discarded) is one contiguous run of vectors. Small
     * maps (7x7, 14x14) no longer fall to scalar row tails. The forward sums the same products in the same order as
     * the scalar twin (the padding adds zeros), so its results are equal.
     */

    @Override
    public long depthwiseScratch(int k, int stride, int dilation, int oh, int ow) {
        if (dilation != 1 || stride > 2) {
            return LANES_SCRATCH;
        }
        long wq = ow + (k - 1) / stride;
        long phase = (oh + (k - 1) / stride + 1L) * wq;
        return LANES_SCRATCH + 2L * stride * stride * phase + oh * wq;
    }

    @Override
    public void depthwiseForward(float[] out, int outOff, float[] in, int inOff, float[] w, int channels, int h,
                                 int wd, int k, int stride, int dilation, int padTop, int padLeft, int oh, int ow,
                                 float[] scratch) {
        if (scratch == null || scratch.length < depthwiseScratch(k, stride, dilation, oh, ow)
                || depthwiseScratch(k, stride, dilation, oh, ow) == LANES_SCRATCH) {
            super.depthwiseForward(out, outOff, in, inOff, w, channels, h, wd, k, stride, dilation, padTop, padLeft,
                    oh, ow, scratch);
            return;
        }
        int lanes = SPECIES.length();
        int s = stride;
        int wq = ow + (k - 1) / s;
        int phase = (oh + (k - 1) / s + 1) * wq;
        int p0 = LANES_SCRATCH;
        int o0 = p0 + 2 * s * s * phase;
        int len = oh * wq;
        int lenV = len - len % lanes;
        java.util.Arrays.fill(scratch, p0, p0 + s * s * phase, 0f);
        for (int c = 0; c < channels; c++) {
            phases(scratch, p0, phase, wq, in, inOff + c * h * wd, h, wd, s, padTop, padLeft);
            java.util.Arrays.fill(scratch, o0, o0 + len, 0f);
            int wp = c * k * k;
            for (int ky = 0; ky < k; ky++) {
                for (int kx = 0; kx < k; kx++) {
                    float wv = w[wp + ky * k + kx];
                    FloatVector wvv = FloatVector.broadcast(SPECIES, wv);
                    int off = p0 + ((ky % s) * s + kx % s) * phase + (ky / s) * wq + kx / s;
                    for (int j = 0; j < lenV; j += lanes) {
                        FloatVector o = FloatVector.fromArray(SPECIES, scratch, o0 + j);
                        o.add(FloatVector.fromArray(SPECIES, scratch, off + j).mul(wvv)).intoArray(scratch, o0 + j);
                    }
                    ScalarBackprop.forwardTail(scratch, o0, scratch, off, wv, 1, lenV, len);
                }
            }
            int op = outOff + c * oh * ow;
            for (int oy = 0; oy < oh; oy++) {
                System.arraycopy(scratch, o0 + oy * wq, out, op + oy * ow, ow);
            }
        }
    }

    @Override
    public void depthwiseBackward(float[] dIn, float[] dW, int dWOff, float[] dOut, int outOff, float[] in,
                                  int inOff, float[] w, int channels, int h, int wd, int k, int stride,
                                  int dilation, int padTop, int padLeft, int oh, int ow, float[] scratch) {
        if (scratch == null || scratch.length < depthwiseScratch(k, stride, dilation, oh, ow)
                || depthwiseScratch(k, stride, dilation, oh, ow) == LANES_SCRATCH) {
            super.depthwiseBackward(dIn, dW, dWOff, dOut, outOff, in, inOff, w, channels, h, wd, k, stride, dilation,
                    padTop, padLeft, oh, ow, scratch);
            return;
        }
        int lanes = SPECIES.length();
        int s = stride;
        int wq = ow + (k - 1) / s;
        int phase = (oh + (k - 1) / s + 1) * wq;
        int p0 = LANES_SCRATCH;
        int d0 = p0 + s * s * phase;
        int o0 = d0 + s * s * phase;
        int len = oh * wq;
        int lenV = len - len % lanes;
        java.util.Arrays.fill(scratch, p0, p0 + s * s * phase, 0f);
        java.util.Arrays.fill(scratch, o0, o0 + len, 0f);
        for (int c = 0; c < channels; c++) {
            int ip = inOff + c * h * wd;
            phases(scratch, p0, phase, wq, in, ip, h, wd, s, padTop, padLeft);
            int op = outOff + c * oh * ow;
            for (int oy = 0; oy < oh; oy++) {
                System.arraycopy(dOut, op + oy * ow, scratch, o0 + oy * wq, ow);
            }
            if (dIn != null) {
                java.util.Arrays.fill(scratch, d0, d0 + s * s * phase, 0f);
            }
            int wp = c * k * k;
            for (int ky = 0; ky < k; ky++) {
                for (int kx = 0; kx < k; kx++) {
                    float wv = w[wp + ky * k + kx];
                    FloatVector wvv = FloatVector.broadcast(SPECIES, wv);
                    int rel = ((ky % s) * s + kx % s) * phase + (ky / s) * wq + kx / s;
                    int off = p0 + rel;
                    FloatVector acc = FloatVector.zero(SPECIES);
                    for (int j = 0; j < lenV; j += lanes) {
                        FloatVector g = FloatVector.fromArray(SPECIES, scratch, o0 + j);
                        acc = g.fma(FloatVector.fromArray(SPECIES, scratch, off + j), acc);
                        if (dIn != null) {
                            FloatVector d = FloatVector.fromArray(SPECIES, scratch, d0 + rel + j);
                            d.add(g.mul(wvv)).intoArray(scratch, d0 + rel + j);
                        }
                    }
                    acc.intoArray(scratch, 0);
                    float gw = 0f;
                    for (int l = 0; l < lanes; l++) {
                        gw += scratch[l];
                    }
                    for (int j = lenV; j < len; j++) {
                        gw += scratch[o0 + j] * scratch[off + j];
                    }
                    if (dIn != null) {
                        ScalarBackprop.inputGradTail(scratch, d0 + rel, scratch, o0, wv, 1, lenV, len);
                    }
                    dW[dWOff + wp + ky * k + kx] += gw;
                }
            }
            if (dIn != null) {
                unphaseAdd(dIn, ip, h, wd, scratch, d0, phase, wq, s, padTop, padLeft);
            }
        }
    }

    /** dIn's plane += the phases at {@code d0} (the inverse of {@link #phases}; padding positions dropped). */
    private static void unphaseAdd(float[] dIn, int ip, int h, int wd, float[] src, int d0, int phase, int wq, int s,
                                   int padTop, int padLeft) {
        int rows = phase / wq;
        for (int y = 0; y < h; y++) {
            int yy = y + padTop;
            if (yy / s >= rows) {
                break;
            }
            int rowBase = d0 + (yy % s) * s * phase + (yy / s) * wq;
            int dst = ip + y * wd;
            for (int rx = 0; rx < s; rx++) {
                int x0 = Math.floorMod(rx - padLeft, s);
                int xq = (x0 + padLeft) / s;
                int count = Math.min((wd - x0 + s - 1) / s, wq - xq);
                int from = rowBase + rx * phase + xq;
                if (s == 1) {
                    for (int t = 0; t < count; t++) {
                        dIn[dst + x0 + t] += src[from + t];
                    }
                } else {
                    for (int t = 0; t < count; t++) {
                        dIn[dst + x0 + t * s] += src[from + t];
                    }
                }
            }
        }
    }

    /**
     * The stride x stride phases of one input plane, each {@code rows x wq} at {@code p0 + phaseIndex * phase}:
     * phase (ry, rx) at (y, x) holds the input at (s * y + ry - padTop, s * x + rx - padLeft). Only the positions
     * inside the input are written: the caller zeroes the phases once per call, and the padding stays zero for
     * every channel.
     */
    private static void phases(float[] dst, int p0, int phase, int wq, float[] in, int ip, int h, int wd, int s,
                               int padTop, int padLeft) {
        int rows = phase / wq;
        for (int ry = 0; ry < s; ry++) {
            for (int rx = 0; rx < s; rx++) {
                int base = p0 + (ry * s + rx) * phase;
                for (int y = 0; y < rows; y++) {
                    int sy = s * y + ry - padTop;
                    int row = base + y * wq;
                    if (sy < 0 || sy >= h) {
                        continue;
                    }
                    int src = ip + sy * wd + rx - padLeft;
                    int x0 = Math.min(wq, Math.max(0, Math.floorDiv(padLeft - rx + s - 1, s)));
                    int x1 = Math.max(x0, Math.min(wq, Math.floorDiv(wd + padLeft - rx + s - 1, s)));
                    if (s == 1) {
                        System.arraycopy(in, src + x0, dst, row + x0, x1 - x0);
                    } else {
                        for (int x = x0; x < x1; x++) {
                            dst[row + x] = in[src + s * x];
                        }
                    }
                }
            }
        }
    }

    /**
     * {@link TrainKernels#depthwiseForward}'s row: stride 1 a vector at a time (multiply, then add, as the scalar
     * loop), the tail and strided rows on the scalar twin.
     */
    @Override
    void forwardRow(float[] out, int orow, float[] in, int row, float wv, int stride, int ox0, int ox1) {
        int ox = ox0;
        if (stride == 1) {
            int lanes = SPECIES.length();
            int oxv = ox0 + Math.max(0, ox1 - ox0) / lanes * lanes;
            FloatVector wvv = FloatVector.broadcast(SPECIES, wv);
            for (; ox < oxv; ox += lanes) {
                FloatVector o = FloatVector.fromArray(SPECIES, out, orow + ox);
                o.add(FloatVector.fromArray(SPECIES, in, row + ox).mul(wvv)).intoArray(out, orow + ox);
            }
        }
        ScalarBackprop.forwardTail(out, orow, in, row, wv, stride, ox, ox1);
    }

    /**
     * {@link TrainKernels#depthwiseBackward}'s row: stride 1 a vector at a time, the tap's weight gradient in a vector
     * accumulator whose lanes are summed in a fixed order through {@code lanesScratch} (at least one vector of
     * floats), then the tail element by element; strided rows on the scalar twin.
     */
    @Override
    float backwardRow(float gw, float[] dIn, float[] dOut, int orow, float[] in, int row, float wv, int stride,
                      int ox0, int ox1, float[] lanesScratch) {
        if (stride != 1) {
            return ScalarBackprop.INSTANCE.backwardRow(gw, dIn, dOut, orow, in, row, wv, stride, ox0, ox1,
                    lanesScratch);
        }
        int lanes = SPECIES.length();
        int oxv = ox0 + Math.max(0, ox1 - ox0) / lanes * lanes;
        FloatVector wvv = FloatVector.broadcast(SPECIES, wv);
        FloatVector acc = FloatVector.zero(SPECIES);
        int ox = ox0;
        for (; ox < oxv; ox += lanes) {
            FloatVector g = FloatVector.fromArray(SPECIES, dOut, orow + ox);
            acc = g.fma(FloatVector.fromArray(SPECIES, in, row + ox), acc);
            if (dIn != null) {
                FloatVector d = FloatVector.fromArray(SPECIES, dIn, row + ox);
                d.add(g.mul(wvv)).intoArray(dIn, row + ox);
            }
        }
        float s = gw;
        if (oxv > ox0) {
            acc.intoArray(lanesScratch, 0);
            for (int l = 0; l < lanes; l++) {
                s += lanesScratch[l];
            }
        }
        for (int t = oxv; t < ox1; t++) {
            s += dOut[orow + t] * in[row + t];
        }
        if (dIn != null) {
            ScalarBackprop.inputGradTail(dIn, row, dOut, orow, wv, 1, oxv, ox1);
        }
        return s;
    }

    /**
     * The same operations per element as the scalar twin (so equal results); RELU, RELU6 and HARD_SWISH on vectors,
     * the rest and the tail on the scalar twin.
     */
    @Override
    public void activationForward(float[] out, float[] x, int from, int to, Activation act) {
        int lanes = SPECIES.length();
        int i = from;
        if (act != Activation.RELU && act != Activation.RELU6 && act != Activation.HARD_SWISH) {
            ScalarBackprop.INSTANCE.activationForward(out, x, i, to, act);
            return;
        }
        FloatVector zero = FloatVector.zero(SPECIES);
        FloatVector three = FloatVector.broadcast(SPECIES, 3f);
        FloatVector six = FloatVector.broadcast(SPECIES, 6f);
        for (; i + lanes <= to; i += lanes) {
            FloatVector v = FloatVector.fromArray(SPECIES, x, i);
            FloatVector r;
            if (act == Activation.RELU) {
                r = zero.blend(v, v.compare(VectorOperators.GT, 0f));
            } else if (act == Activation.RELU6) {
                r = v.max(zero).min(six);
            } else {
                r = v.mul(v.add(three).max(zero).min(six).div(six));
            }
            r.intoArray(out, i);
        }
        ScalarBackprop.INSTANCE.activationForward(out, x, i, to, act);
    }

    /** As {@link #activationForward}: vectors for RELU, RELU6 and HARD_SWISH, the rest scalar. */
    @Override
    public void activationBackward(float[] dIn, float[] dOut, float[] x, int from, int to, Activation act) {
        int lanes = SPECIES.length();
        int i = from;
        if (act != Activation.RELU && act != Activation.RELU6 && act != Activation.HARD_SWISH) {
            ScalarBackprop.INSTANCE.activationBackward(dIn, dOut, x, i, to, act);
            return;
        }
        FloatVector zero = FloatVector.zero(SPECIES);
        for (; i + lanes <= to; i += lanes) {
            FloatVector v = FloatVector.fromArray(SPECIES, x, i);
            FloatVector g = FloatVector.fromArray(SPECIES, dOut, i);
            FloatVector r;
            if (act == Activation.RELU) {
                r = zero.blend(g, v.compare(VectorOperators.GT, 0f));
            } else if (act == Activation.RELU6) {
                VectorMask<Float> in = v.compare(VectorOperators.GT, 0f).and(v.compare(VectorOperators.LT, 6f));
                r = zero.blend(g, in);
            } else {
                r = g.mul(v.div(3f).add(0.5f));
                r = r.blend(g, v.compare(VectorOperators.GT, 3f));
                r = r.blend(zero, v.compare(VectorOperators.LT, -3f));
            }
            r.intoArray(dIn, i);
        }
        ScalarBackprop.INSTANCE.activationBackward(dIn, dOut, x, i, to, act);
    }
}

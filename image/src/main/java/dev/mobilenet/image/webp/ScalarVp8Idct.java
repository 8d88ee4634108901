package dev.mobilenet.image.webp;

import static dev.mobilenet.image.webp.Vp8Decoder.BPS;

/**
 * The scalar {@link Vp8IdctKernels}: block by block, the full transform's vertical pass column by column in locals,
 * then its horizontal pass row by row.
 */
final class ScalarVp8Idct implements Vp8IdctKernels {
    static final ScalarVp8Idct INSTANCE = new ScalarVp8Idct();

    private ScalarVp8Idct() {
    }

    /** libwebp's SSE2 {@code mulhi}: the high 16 bits of a signed 16x16-bit product. */
    private static int mulhi(int x, int k) {
        return (x * k) >> 16;
    }

    private static int s16(int v) {
        return (short) v;
    }

    /** The odd part {@code c} of a pass over inputs 1 and 3 ({@code x}, {@code y}), wrapped to 16 bits. */
    private static int oddC(int x, int y) {
        return s16(x - y + mulhi(x, -30068) - mulhi(y, 20091));
    }

    /** The odd part {@code e} of a pass over inputs 1 and 3 ({@code x}, {@code y}), wrapped to 16 bits. */
    private static int oddE(int x, int y) {
        return s16(x + y + mulhi(x, 20091) + mulhi(y, -30068));
    }

    @Override
    public void transforms(int full, int dc, int log2Columns, short[] in, int off, byte[] w, int d) {
        for (int m = full; m != 0; m &= m - 1) {
            int n = Vp8IdctKernels.block(m);
            full(in, off + 16 * n, w, Vp8IdctKernels.pixels(d, n, log2Columns));
        }
        for (int m = dc; m != 0; m &= m - 1) {
            int n = Vp8IdctKernels.block(m);
            dc(in[off + 16 * n], w, Vp8IdctKernels.pixels(d, n, log2Columns));
        }
    }

    /**
     * The full inverse DCT as libwebp's SSE2 code computes it on x86 (what Debian's Pillow runs): every
     * intermediate wraps to 16 bits, the multiplications are {@code mulhi} by 20091 and -30068 plus the input.
     * Equal to the C arithmetic unless a corrupt stream makes the sums overflow 16 bits.
     */
    private static void full(short[] in, int off, byte[] w, int d) {
        // the vertical pass over the four columns in locals (the highest index read first, so that one bounds
        // check covers the block), then the horizontal pass row by row
        int in15 = in[off + 15];
        int i00 = in[off + 0];
        int i01 = in[off + 4];
        int i02 = in[off + 8];
        int i03 = in[off + 12];
        int a0 = s16(i00 + i02);
        int b0 = s16(i00 - i02);
        int c0 = oddC(i01, i03);
        int e0 = oddE(i01, i03);
        int t0 = s16(a0 + e0);
        int t1 = s16(b0 + c0);
        int t2 = s16(b0 - c0);
        int t3 = s16(a0 - e0);
        int i10 = in[off + 1];
        int i11 = in[off + 5];
        int i12 = in[off + 9];
        int i13 = in[off + 13];
        int a1 = s16(i10 + i12);
        int b1 = s16(i10 - i12);
        int c1 = oddC(i11, i13);
        int e1 = oddE(i11, i13);
        int t4 = s16(a1 + e1);
        int t5 = s16(b1 + c1);
        int t6 = s16(b1 - c1);
        int t7 = s16(a1 - e1);
        int i20 = in[off + 2];
        int i21 = in[off + 6];
        int i22 = in[off + 10];
        int i23 = in[off + 14];
        int a2 = s16(i20 + i22);
        int b2 = s16(i20 - i22);
        int c2 = oddC(i21, i23);
        int e2 = oddE(i21, i23);
        int t8 = s16(a2 + e2);
        int t9 = s16(b2 + c2);
        int t10 = s16(b2 - c2);
        int t11 = s16(a2 - e2);
        int i30 = in[off + 3];
        int i31 = in[off + 7];
        int i32 = in[off + 11];
        int i33 = in15;
        int a3 = s16(i30 + i32);
        int b3 = s16(i30 - i32);
        int c3 = oddC(i31, i33);
        int e3 = oddE(i31, i33);
        int t12 = s16(a3 + e3);
        int t13 = s16(b3 + c3);
        int t14 = s16(b3 - c3);
        int t15 = s16(a3 - e3);
        row(w, d, t0, t4, t8, t12);
        row(w, d + BPS, t1, t5, t9, t13);
        row(w, d + 2 * BPS, t2, t6, t10, t14);
        row(w, d + 3 * BPS, t3, t7, t11, t15);
    }

    /** The horizontal pass of one output row of {@link #full}, added to the four pixels at {@code w[r]}. */
    private static void row(byte[] w, int r, int t0, int t1, int t2, int t3) {
        int dc = s16(t0 + 4);
        int a = s16(dc + t2);
        int b = s16(dc - t2);
        int c = oddC(t1, t3);
        int e = oddE(t1, t3);
        Vp8IdctKernels.addClamped(w, r, s16(a + e) >> 3);
        Vp8IdctKernels.addClamped(w, r + 1, s16(b + c) >> 3);
        Vp8IdctKernels.addClamped(w, r + 2, s16(b - c) >> 3);
        Vp8IdctKernels.addClamped(w, r + 3, s16(a - e) >> 3);
    }

    private static void dc(int dc, byte[] w, int d) {
        int v = (dc + 4) >> 3;
        for (int j = 0; j < 4; j++) {
            int r = d + j * BPS;
            for (int i = 0; i < 4; i++) {
                Vp8IdctKernels.addClamped(w, r + i, v);
            }
        }
    }
}

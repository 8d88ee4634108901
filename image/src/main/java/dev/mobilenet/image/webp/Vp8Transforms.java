package dev.mobilenet.image.webp;

import static dev.mobilenet.image.webp.Vp8Decoder.BPS;

/**
 * VP8's inverse transforms (RFC 6386 section 14.3 and 14.4) in libwebp's integer arithmetic: the Walsh-Hadamard
 * transform of the Y2 block into the 16 luma DCs, and the 4x4 inverse DCT added to the prediction with rounding
 * and clipping. Coefficients are 16-bit, as libwebp stores them.
 */
final class Vp8Transforms {
    private Vp8Transforms() {
    }

    /**
     * The full and DC-only inverse DCT kernels, chosen once: the Vector API ones when {@code jdk.incubator.vector}
     * is in the boot layer and 8 ints fit a vector, unless {@code -Dmobilenet.kernels=scalar}.
     */
    private static final Vp8IdctKernels IDCT = WebpKernels.choose(() -> VectorVp8Idct.supported(),
            () -> new VectorVp8Idct(), ScalarVp8Idct.INSTANCE);

    private static int mul1(int a) {
        return ((a * 20091) >> 16) + a;
    }

    private static int mul2(int a) {
        return (a * 35468) >> 16;
    }

    /**
     * The WHT ({@code tmp}: 16 ints of scratch) of {@code in} into coefficient 0 of each of the 16 luma blocks of
     * {@code out} from {@code off}.
     */
    static void wht(short[] in, short[] out, int off, int[] tmp) {
        for (int i = 0; i < 4; i++) {
            int a0 = in[i] + in[12 + i];
            int a1 = in[4 + i] + in[8 + i];
            int a2 = in[4 + i] - in[8 + i];
            int a3 = in[i] - in[12 + i];
            tmp[i] = a0 + a1;
            tmp[8 + i] = a0 - a1;
            tmp[4 + i] = a3 + a2;
            tmp[12 + i] = a3 - a2;
        }
        int o = off;
        for (int i = 0; i < 4; i++) {
            int dc = tmp[i * 4] + 3;
            int a0 = dc + tmp[3 + i * 4];
            int a1 = tmp[1 + i * 4] + tmp[2 + i * 4];
            int a2 = tmp[1 + i * 4] - tmp[2 + i * 4];
            int a3 = dc - tmp[3 + i * 4];
            out[o] = (short) ((a0 + a1) >> 3);
            out[o + 16] = (short) ((a3 + a2) >> 3);
            out[o + 32] = (short) ((a0 - a1) >> 3);
            out[o + 48] = (short) ((a3 - a2) >> 3);
            o += 64;
        }
    }

    private static void store(byte[] w, int i, int v) {
        Vp8IdctKernels.addClamped(w, i, v >> 3);
    }

    /**
     * Adds the inverse DCT of the block at {@code in[off]} to the 4x4 pixels at {@code w[d]}. {@code code} is
     * libwebp's: 0 nothing, 1 DC only, 2 coefficients 0, 1 and 4 only, 3 any; each case is computed as libwebp
     * computes it. The DC-only and three-coefficient cases equal the full transform except where the full one's
     * 16-bit wrap changes a result, which only a corrupt stream's extreme coefficients (a DC of 32764 or more) reach.
     */
    static void transform(int code, short[] in, int off, byte[] w, int d) {
        switch (code) {
            case 3 -> IDCT.transforms(1 << 31, 0, 2, in, off, w, d);
            case 2 -> ac3(in, off, w, d);
            case 1 -> IDCT.transforms(0, 1 << 31, 2, in, off, w, d);
            default -> {
            }
        }
    }

    private static void ac3(short[] in, int off, byte[] w, int d) {
        int a = in[off] + 4;
        int c4 = mul2(in[off + 4]);
        int d4 = mul1(in[off + 4]);
        int c1 = mul2(in[off + 1]);
        int d1 = mul1(in[off + 1]);
        row4(w, d, a + d4, d1, c1);
        row4(w, d + BPS, a + c4, d1, c1);
        row4(w, d + 2 * BPS, a - c4, d1, c1);
        row4(w, d + 3 * BPS, a - d4, d1, c1);
    }

    private static void row4(byte[] w, int r, int dc, int d, int c) {
        store(w, r, dc + d);
        store(w, r + 1, dc + c);
        store(w, r + 2, dc - c);
        store(w, r + 3, dc - d);
    }

    /**
     * The 16 luma blocks of an i16 macroblock at {@code w[d]}, whose predictions are all made before and so
     * independent of each other: the blocks of each code in turn, found by their bits, instead of a branch on
     * every block's code (which the mix of codes in a picture makes unpredictable). {@code bits} holds block
     * {@code n}'s code in bits {@code 31 - 2n} and {@code 30 - 2n}.
     */
    static void transformI16(int bits, short[] in, int off, byte[] w, int d) {
        int high = bits & 0xaaaaaaaa;
        int low = (bits << 1) & 0xaaaaaaaa;
        IDCT.transforms(high & low, low & ~high, 2, in, off, w, d);
        for (int m = high & ~low; m != 0; m &= m - 1) {
            int n = Vp8IdctKernels.block(m);
            ac3(in, off + 16 * n, w, Vp8IdctKernels.pixels(d, n, 2));
        }
    }

    /**
     * The four 4x4 blocks of one chroma plane; {@code bits} holds block {@code k}'s code in bits {@code 7 - 2k}
     * and {@code 6 - 2k}. As libwebp: every block through the full transform when one has more than coefficients
     * 0, 1 and 4 (the blocks without coefficients skipped, which adds nothing), else the DC-only transform.
     */
    static void transformUv(int bits, short[] in, int off, byte[] w, int d) {
        int high = bits & 0xaa;
        int low = (bits << 1) & 0xaa;
        if (high != 0) {
            IDCT.transforms((high | low) << 24, 0, 1, in, off, w, d);
        } else if (low != 0) {
            IDCT.transforms(0, low << 24, 1, in, off, w, d);
        }
    }
}

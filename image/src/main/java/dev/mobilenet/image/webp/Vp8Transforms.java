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
        int p = (w[i] & 0xff) + (v >> 3);
        w[i] = (byte) (p < 0 ? 0 : Math.min(p, 255));
    }

    /**
     * Adds the inverse DCT of the block at {@code in[off]} to the 4x4 pixels at {@code w[d]}. {@code code} is
     * libwebp's: 0 nothing, 1 DC only, 2 coefficients 0, 1 and 4 only, 3 any; every case gives the full
     * transform's result.
     */
    static void transform(int code, short[] in, int off, byte[] w, int d, int[] tmp) {
        switch (code) {
            case 3 -> full(in, off, w, d, tmp);
            case 2 -> ac3(in, off, w, d);
            case 1 -> dcOnly(in[off] + 4, w, d);
            default -> {
            }
        }
    }

    private static void dcOnly(int dc, byte[] w, int d) {
        for (int j = 0; j < 4; j++) {
            int r = d + j * BPS;
            for (int i = 0; i < 4; i++) {
                store(w, r + i, dc);
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

    /** libwebp's SSE2 {@code mulhi}: the high 16 bits of a signed 16x16-bit product. */
    private static int mulhi(int x, int k) {
        return (x * k) >> 16;
    }

    private static int s16(int v) {
        return (short) v;
    }

    /**
     * The full inverse DCT as libwebp's SSE2 code computes it on x86 (what Debian's Pillow runs): every
     * intermediate wraps to 16 bits, the multiplications are {@code mulhi} by 20091 and -30068 plus the input.
     * Equal to the C arithmetic unless a corrupt stream makes the sums overflow 16 bits.
     */
    private static void full(short[] in, int off, byte[] w, int d, int[] t) {
        for (int i = 0; i < 4; i++) {
            int in0 = in[off + i];
            int in1 = in[off + 4 + i];
            int in2 = in[off + 8 + i];
            int in3 = in[off + 12 + i];
            int a = s16(in0 + in2);
            int b = s16(in0 - in2);
            int c = s16(in1 - in3 + mulhi(in1, -30068) - mulhi(in3, 20091));
            int e = s16(in1 + in3 + mulhi(in1, 20091) + mulhi(in3, -30068));
            t[4 * i] = s16(a + e);
            t[4 * i + 1] = s16(b + c);
            t[4 * i + 2] = s16(b - c);
            t[4 * i + 3] = s16(a - e);
        }
        for (int i = 0; i < 4; i++) {
            int t0 = t[i];
            int t1 = t[4 + i];
            int t2 = t[8 + i];
            int t3 = t[12 + i];
            int dc = s16(t0 + 4);
            int a = s16(dc + t2);
            int b = s16(dc - t2);
            int c = s16(t1 - t3 + mulhi(t1, -30068) - mulhi(t3, 20091));
            int e = s16(t1 + t3 + mulhi(t1, 20091) + mulhi(t3, -30068));
            int r = d + i * BPS;
            add(w, r, s16(a + e) >> 3);
            add(w, r + 1, s16(b + c) >> 3);
            add(w, r + 2, s16(b - c) >> 3);
            add(w, r + 3, s16(a - e) >> 3);
        }
    }

    private static void add(byte[] w, int i, int v) {
        int p = (w[i] & 0xff) + v;
        w[i] = (byte) (p < 0 ? 0 : Math.min(p, 255));
    }

    /** The four 4x4 blocks of one chroma plane; {@code bits} holds their 2-bit codes in its low byte. */
    static void transformUv(int bits, short[] in, int off, byte[] w, int d, int[] tmp) {
        if ((bits & 0xff) == 0) {
            return;
        }
        if ((bits & 0xaa) != 0) {
            full(in, off, w, d, tmp);
            full(in, off + 16, w, d + 4, tmp);
            full(in, off + 32, w, d + 4 * BPS, tmp);
            full(in, off + 48, w, d + 4 * BPS + 4, tmp);
        } else {
            for (int k = 0; k < 4; k++) {
                if (in[off + 16 * k] != 0) {
                    dcOnly(in[off + 16 * k] + 4, w, d + (k & 1) * 4 + (k >> 1) * 4 * BPS);
                }
            }
        }
    }
}

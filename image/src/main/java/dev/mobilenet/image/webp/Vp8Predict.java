package dev.mobilenet.image.webp;

import static dev.mobilenet.image.webp.Vp8Decoder.BPS;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * VP8 intra prediction (RFC 6386 section 12) in a work area of {@link Vp8Decoder#BPS} bytes per row: the block
 * at {@code d}, its top row at {@code d - BPS} and left column at {@code d - 1}. Modes are numbered as libwebp
 * numbers them (DC, TM, VE, HE, RD, VR, LD, VL, HD, HU; 4..6 are DC without top, left, or both).
 */
final class Vp8Predict {
    private Vp8Predict() {
    }

    private static int at(byte[] w, int i) {
        return w[i] & 0xff;
    }

    private static byte avg3(int a, int b, int c) {
        return (byte) ((a + 2 * b + c + 2) >> 2);
    }

    private static byte avg2(int a, int b) {
        return (byte) ((a + b + 1) >> 1);
    }

    private static void put(byte[] w, int d, int x, int y, byte v) {
        w[d + x + y * BPS] = v;
    }

    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

    /** {@code size} (4, 8 or 16) bytes at {@code o} set to the low byte of {@code v}, in whole-word stores. */
    private static void fillRow(byte[] w, int o, int size, int v) {
        long pattern = (v & 0xffL) * 0x0101010101010101L;
        if (size == 4) {
            INT.set(w, o, (int) pattern);
        } else {
            for (int k = 0; k < size; k += 8) {
                LONG.set(w, o + k, pattern);
            }
        }
    }

    private static void fill(byte[] w, int d, int size, int v) {
        for (int j = 0; j < size; j++) {
            fillRow(w, d + j * BPS, size, v);
        }
    }

    /** Each of the {@code size} rows of the block at {@code d} (8 or 16 bytes wide) a copy of the row above it. */
    private static void vertical(byte[] w, int d, int size) {
        for (int k = 0; k < size; k += 8) {
            long top = (long) LONG.get(w, d - BPS + k);
            for (int j = 0; j < size; j++) {
                LONG.set(w, d + j * BPS + k, top);
            }
        }
    }

    /** Each row of the block at {@code d} (8 or 16 square) filled with the pixel left of it. */
    private static void horizontal(byte[] w, int d, int size) {
        for (int j = 0; j < size; j++) {
            fillRow(w, d + j * BPS, size, w[d + j * BPS - 1]);
        }
    }

    private static void trueMotion(byte[] w, int d, int size) {
        int tl = at(w, d - BPS - 1);
        for (int y = 0; y < size; y++) {
            int left = at(w, d + y * BPS - 1) - tl;
            int row = d + y * BPS;
            for (int x = 0; x < size; x++) {
                int v = at(w, d - BPS + x) + left;
                w[row + x] = (byte) (v < 0 ? 0 : Math.min(v, 255));
            }
        }
    }

    static void luma16(byte[] w, int d, int mode) {
        switch (mode) {
            case 0 -> {
                int dc = 16;
                for (int j = 0; j < 16; j++) {
                    dc += at(w, d - 1 + j * BPS) + at(w, d + j - BPS);
                }
                fill(w, d, 16, dc >> 5);
            }
            case 1 -> trueMotion(w, d, 16);
            case 2 -> vertical(w, d, 16);
            case 3 -> horizontal(w, d, 16);
            case 4 -> {
                int dc = 8;
                for (int j = 0; j < 16; j++) {
                    dc += at(w, d - 1 + j * BPS);
                }
                fill(w, d, 16, dc >> 4);
            }
            case 5 -> {
                int dc = 8;
                for (int i = 0; i < 16; i++) {
                    dc += at(w, d + i - BPS);
                }
                fill(w, d, 16, dc >> 4);
            }
            case 6 -> fill(w, d, 16, 0x80);
            default -> throw new IllegalStateException("16x16 mode " + mode);
        }
    }

    static void chroma8(byte[] w, int d, int mode) {
        switch (mode) {
            case 0 -> {
                int dc = 8;
                for (int i = 0; i < 8; i++) {
                    dc += at(w, d + i - BPS) + at(w, d - 1 + i * BPS);
                }
                fill(w, d, 8, dc >> 4);
            }
            case 1 -> trueMotion(w, d, 8);
            case 2 -> vertical(w, d, 8);
            case 3 -> horizontal(w, d, 8);
            case 4 -> {
                int dc = 4;
                for (int i = 0; i < 8; i++) {
                    dc += at(w, d - 1 + i * BPS);
                }
                fill(w, d, 8, dc >> 3);
            }
            case 5 -> {
                int dc = 4;
                for (int i = 0; i < 8; i++) {
                    dc += at(w, d + i - BPS);
                }
                fill(w, d, 8, dc >> 3);
            }
            case 6 -> fill(w, d, 8, 0x80);
            default -> throw new IllegalStateException("chroma mode " + mode);
        }
    }

    static void luma4(byte[] w, int d, int mode) {
        int t = d - BPS;
        switch (mode) {
            case 0 -> {
                int dc = 4;
                for (int i = 0; i < 4; i++) {
                    dc += at(w, t + i) + at(w, d - 1 + i * BPS);
                }
                fill(w, d, 4, dc >> 3);
            }
            case 1 -> trueMotion(w, d, 4);
            case 2 -> {
                byte a = avg3(at(w, t - 1), at(w, t), at(w, t + 1));
                byte b = avg3(at(w, t), at(w, t + 1), at(w, t + 2));
                byte c = avg3(at(w, t + 1), at(w, t + 2), at(w, t + 3));
                byte e = avg3(at(w, t + 2), at(w, t + 3), at(w, t + 4));
                for (int j = 0; j < 4; j++) {
                    int r = d + j * BPS;
                    w[r] = a;
                    w[r + 1] = b;
                    w[r + 2] = c;
                    w[r + 3] = e;
                }
            }
            case 3 -> {
                int a = at(w, d - 1 - BPS);
                int b = at(w, d - 1);
                int c = at(w, d - 1 + BPS);
                int dd = at(w, d - 1 + 2 * BPS);
                int e = at(w, d - 1 + 3 * BPS);
                fillRow(w, d, 4, avg3(a, b, c));
                fillRow(w, d + BPS, 4, avg3(b, c, dd));
                fillRow(w, d + 2 * BPS, 4, avg3(c, dd, e));
                fillRow(w, d + 3 * BPS, 4, avg3(dd, e, e));
            }
            case 4 -> rd4(w, d);
            case 5 -> vr4(w, d);
            case 6 -> ld4(w, d);
            case 7 -> vl4(w, d);
            case 8 -> hd4(w, d);
            case 9 -> hu4(w, d);
            default -> throw new IllegalStateException("4x4 mode " + mode);
        }
    }

    private static void rd4(byte[] w, int d) {
        int i = at(w, d - 1);
        int j = at(w, d - 1 + BPS);
        int k = at(w, d - 1 + 2 * BPS);
        int l = at(w, d - 1 + 3 * BPS);
        int x = at(w, d - 1 - BPS);
        int a = at(w, d - BPS);
        int b = at(w, d + 1 - BPS);
        int c = at(w, d + 2 - BPS);
        int dd = at(w, d + 3 - BPS);
        put(w, d, 0, 3, avg3(j, k, l));
        byte v = avg3(i, j, k);
        put(w, d, 1, 3, v);
        put(w, d, 0, 2, v);
        v = avg3(x, i, j);
        put(w, d, 2, 3, v);
        put(w, d, 1, 2, v);
        put(w, d, 0, 1, v);
        v = avg3(a, x, i);
        put(w, d, 3, 3, v);
        put(w, d, 2, 2, v);
        put(w, d, 1, 1, v);
        put(w, d, 0, 0, v);
        v = avg3(b, a, x);
        put(w, d, 3, 2, v);
        put(w, d, 2, 1, v);
        put(w, d, 1, 0, v);
        v = avg3(c, b, a);
        put(w, d, 3, 1, v);
        put(w, d, 2, 0, v);
        put(w, d, 3, 0, avg3(dd, c, b));
    }

    private static void ld4(byte[] w, int d) {
        int t = d - BPS;
        int a = at(w, t);
        int b = at(w, t + 1);
        int c = at(w, t + 2);
        int dd = at(w, t + 3);
        int e = at(w, t + 4);
        int f = at(w, t + 5);
        int g = at(w, t + 6);
        int h = at(w, t + 7);
        put(w, d, 0, 0, avg3(a, b, c));
        byte v = avg3(b, c, dd);
        put(w, d, 1, 0, v);
        put(w, d, 0, 1, v);
        v = avg3(c, dd, e);
        put(w, d, 2, 0, v);
        put(w, d, 1, 1, v);
        put(w, d, 0, 2, v);
        v = avg3(dd, e, f);
        put(w, d, 3, 0, v);
        put(w, d, 2, 1, v);
        put(w, d, 1, 2, v);
        put(w, d, 0, 3, v);
        v = avg3(e, f, g);
        put(w, d, 3, 1, v);
        put(w, d, 2, 2, v);
        put(w, d, 1, 3, v);
        v = avg3(f, g, h);
        put(w, d, 3, 2, v);
        put(w, d, 2, 3, v);
        put(w, d, 3, 3, avg3(g, h, h));
    }

    private static void vr4(byte[] w, int d) {
        int i = at(w, d - 1);
        int j = at(w, d - 1 + BPS);
        int k = at(w, d - 1 + 2 * BPS);
        int x = at(w, d - 1 - BPS);
        int a = at(w, d - BPS);
        int b = at(w, d + 1 - BPS);
        int c = at(w, d + 2 - BPS);
        int dd = at(w, d + 3 - BPS);
        byte v = avg2(x, a);
        put(w, d, 0, 0, v);
        put(w, d, 1, 2, v);
        v = avg2(a, b);
        put(w, d, 1, 0, v);
        put(w, d, 2, 2, v);
        v = avg2(b, c);
        put(w, d, 2, 0, v);
        put(w, d, 3, 2, v);
        put(w, d, 3, 0, avg2(c, dd));
        put(w, d, 0, 3, avg3(k, j, i));
        put(w, d, 0, 2, avg3(j, i, x));
        v = avg3(i, x, a);
        put(w, d, 0, 1, v);
        put(w, d, 1, 3, v);
        v = avg3(x, a, b);
        put(w, d, 1, 1, v);
        put(w, d, 2, 3, v);
        v = avg3(a, b, c);
        put(w, d, 2, 1, v);
        put(w, d, 3, 3, v);
        put(w, d, 3, 1, avg3(b, c, dd));
    }

    private static void vl4(byte[] w, int d) {
        int t = d - BPS;
        int a = at(w, t);
        int b = at(w, t + 1);
        int c = at(w, t + 2);
        int dd = at(w, t + 3);
        int e = at(w, t + 4);
        int f = at(w, t + 5);
        int g = at(w, t + 6);
        int h = at(w, t + 7);
        put(w, d, 0, 0, avg2(a, b));
        byte v = avg2(b, c);
        put(w, d, 1, 0, v);
        put(w, d, 0, 2, v);
        v = avg2(c, dd);
        put(w, d, 2, 0, v);
        put(w, d, 1, 2, v);
        v = avg2(dd, e);
        put(w, d, 3, 0, v);
        put(w, d, 2, 2, v);
        put(w, d, 0, 1, avg3(a, b, c));
        v = avg3(b, c, dd);
        put(w, d, 1, 1, v);
        put(w, d, 0, 3, v);
        v = avg3(c, dd, e);
        put(w, d, 2, 1, v);
        put(w, d, 1, 3, v);
        v = avg3(dd, e, f);
        put(w, d, 3, 1, v);
        put(w, d, 2, 3, v);
        put(w, d, 3, 2, avg3(e, f, g));
        put(w, d, 3, 3, avg3(f, g, h));
    }

    private static void hu4(byte[] w, int d) {
        int i = at(w, d - 1);
        int j = at(w, d - 1 + BPS);
        int k = at(w, d - 1 + 2 * BPS);
        int l = at(w, d - 1 + 3 * BPS);
        put(w, d, 0, 0, avg2(i, j));
        byte v = avg2(j, k);
        put(w, d, 2, 0, v);
        put(w, d, 0, 1, v);
        v = avg2(k, l);
        put(w, d, 2, 1, v);
        put(w, d, 0, 2, v);
        put(w, d, 1, 0, avg3(i, j, k));
        v = avg3(j, k, l);
        put(w, d, 3, 0, v);
        put(w, d, 1, 1, v);
        v = avg3(k, l, l);
        put(w, d, 3, 1, v);
        put(w, d, 1, 2, v);
        byte lb = (byte) l;
        put(w, d, 3, 2, lb);
        put(w, d, 2, 2, lb);
        put(w, d, 0, 3, lb);
        put(w, d, 1, 3, lb);
        put(w, d, 2, 3, lb);
        put(w, d, 3, 3, lb);
    }

    private static void hd4(byte[] w, int d) {
        int i = at(w, d - 1);
        int j = at(w, d - 1 + BPS);
        int k = at(w, d - 1 + 2 * BPS);
        int l = at(w, d - 1 + 3 * BPS);
        int x = at(w, d - 1 - BPS);
        int a = at(w, d - BPS);
        int b = at(w, d + 1 - BPS);
        int c = at(w, d + 2 - BPS);
        byte v = avg2(i, x);
        put(w, d, 0, 0, v);
        put(w, d, 2, 1, v);
        v = avg2(j, i);
        put(w, d, 0, 1, v);
        put(w, d, 2, 2, v);
        v = avg2(k, j);
        put(w, d, 0, 2, v);
        put(w, d, 2, 3, v);
        put(w, d, 0, 3, avg2(l, k));
        put(w, d, 3, 0, avg3(a, b, c));
        put(w, d, 2, 0, avg3(x, a, b));
        v = avg3(i, x, a);
        put(w, d, 1, 0, v);
        put(w, d, 3, 1, v);
        v = avg3(j, i, x);
        put(w, d, 1, 1, v);
        put(w, d, 3, 2, v);
        v = avg3(k, j, i);
        put(w, d, 1, 2, v);
        put(w, d, 3, 3, v);
        put(w, d, 1, 3, avg3(l, k, j));
    }
}

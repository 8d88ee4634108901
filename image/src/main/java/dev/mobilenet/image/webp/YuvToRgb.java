package dev.mobilenet.image.webp;

/**
 * libwebp's RGB output of a decoded VP8 frame: "fancy" upsampling (each chroma sample weighted 9:3:3:1 with
 * its neighbours, two luma rows per chroma row, the first and an even-height last row alone) and the 14-bit
 * fixed-point BT.601 conversion of {@code dsp/yuv.h}.
 */
final class YuvToRgb {
    private YuvToRgb() {
    }

    private static final int[] Y_MUL = new int[256];
    private static final int[] V_TO_R = new int[256];
    private static final int[] U_TO_G = new int[256];
    private static final int[] V_TO_G = new int[256];
    private static final int[] U_TO_B = new int[256];
    private static final int CLIP_OFFSET = 320;
    /** libwebp's VP8Clip8 on {@code v >> 6}: 0..255 inside the 14-bit range, else 0 below and 255 above. */
    private static final byte[] CLIP = new byte[CLIP_OFFSET + 576];

    static {
        for (int i = 0; i < 256; i++) {
            Y_MUL[i] = (i * 19077) >> 8;
            V_TO_R[i] = ((i * 26149) >> 8) - 14234;
            U_TO_B[i] = ((i * 33050) >> 8) - 17685;
            U_TO_G[i] = -((i * 6419) >> 8) + 8708;
            V_TO_G[i] = -((i * 13320) >> 8);
        }
        for (int i = 0; i < CLIP.length; i++) {
            CLIP[i] = (byte) Math.max(0, Math.min(255, i - CLIP_OFFSET));
        }
    }

    static void put(byte[] dst, int o, int y, int u, int v) {
        int yy = Y_MUL[y];
        dst[o] = CLIP[((yy + V_TO_R[v]) >> 6) + CLIP_OFFSET];
        dst[o + 1] = CLIP[((yy + U_TO_G[u] + V_TO_G[v]) >> 6) + CLIP_OFFSET];
        dst[o + 2] = CLIP[((yy + U_TO_B[u]) >> 6) + CLIP_OFFSET];
    }

    /**
     * The number of output units of a picture {@code height} rows high: unit 0 is row 0, unit {@code k > 0} the
     * rows {@code 2k - 1} and {@code 2k} (the last alone when the height is even). Unit {@code k} reads luma rows
     * up to {@code 2k} and chroma rows up to {@code k}.
     */
    static int units(int height) {
        return height / 2 + 1;
    }

    /**
     * Writes the output units {@code from} (inclusive) to {@code to} (exclusive) of the {@code width x height}
     * picture of {@code f} as RGB: pixel (0, 0) at byte {@code off} of {@code dst}, {@code dstStride} bytes per row.
     */
    static void convertUnits(Vp8Decoder f, int width, int height, byte[] dst, int off, int dstStride, int from,
            int to) {
        byte[] y = f.y;
        byte[] u = f.u;
        byte[] v = f.v;
        int ys = f.yStride;
        int uvs = f.uvStride;
        for (int k = from; k < to; k++) {
            if (k == 0) {
                linePair(y, 0, -1, u, v, 0, 0, width, dst, off, -1);
                continue;
            }
            int row = 2 * k - 1;
            int cTop = (k - 1) * uvs;
            if (row + 1 < height) {
                linePair(y, row * ys, (row + 1) * ys, u, v, cTop, cTop + uvs, width, dst, off + row * dstStride,
                        off + (row + 1) * dstStride);
            } else {
                linePair(y, row * ys, -1, u, v, cTop, cTop, width, dst, off + row * dstStride, -1);
            }
        }
    }

    /**
     * One pair of output rows: {@code topY} between chroma rows {@code cTop} (above) and {@code cCur}, and
     * {@code botY} (if not negative) below them.
     */
    private static void linePair(byte[] y, int topY, int botY, byte[] u, byte[] v, int cTop, int cCur, int len,
            byte[] dst, int topDst, int botDst) {
        int tlU = u[cTop] & 0xff;
        int tlV = v[cTop] & 0xff;
        int lU = u[cCur] & 0xff;
        int lV = v[cCur] & 0xff;
        put(dst, topDst, y[topY] & 0xff, (3 * tlU + lU + 2) >> 2, (3 * tlV + lV + 2) >> 2);
        if (botY >= 0) {
            put(dst, botDst, y[botY] & 0xff, (3 * lU + tlU + 2) >> 2, (3 * lV + tlV + 2) >> 2);
        }
        int last = (len - 1) >> 1;
        for (int x = 1; x <= last; x++) {
            int tU = u[cTop + x] & 0xff;
            int tV = v[cTop + x] & 0xff;
            int cU = u[cCur + x] & 0xff;
            int cV = v[cCur + x] & 0xff;
            int avgU = tlU + tU + lU + cU + 8;
            int avgV = tlV + tV + lV + cV + 8;
            int d12U = (avgU + 2 * (tU + lU)) >> 3;
            int d12V = (avgV + 2 * (tV + lV)) >> 3;
            int d03U = (avgU + 2 * (tlU + cU)) >> 3;
            int d03V = (avgV + 2 * (tlV + cV)) >> 3;
            int t = topDst + (2 * x - 1) * 3;
            put(dst, t, y[topY + 2 * x - 1] & 0xff, (d12U + tlU) >> 1, (d12V + tlV) >> 1);
            put(dst, t + 3, y[topY + 2 * x] & 0xff, (d03U + tU) >> 1, (d03V + tV) >> 1);
            if (botY >= 0) {
                int b = botDst + (2 * x - 1) * 3;
                put(dst, b, y[botY + 2 * x - 1] & 0xff, (d03U + lU) >> 1, (d03V + lV) >> 1);
                put(dst, b + 3, y[botY + 2 * x] & 0xff, (d12U + cU) >> 1, (d12V + cV) >> 1);
            }
            tlU = tU;
            tlV = tV;
            lU = cU;
            lV = cV;
        }
        if ((len & 1) == 0) {
            put(dst, topDst + (len - 1) * 3, y[topY + len - 1] & 0xff, (3 * tlU + lU + 2) >> 2,
                    (3 * tlV + lV + 2) >> 2);
            if (botY >= 0) {
                put(dst, botDst + (len - 1) * 3, y[botY + len - 1] & 0xff, (3 * lU + tlU + 2) >> 2,
                        (3 * lV + tlV + 2) >> 2);
            }
        }
    }
}

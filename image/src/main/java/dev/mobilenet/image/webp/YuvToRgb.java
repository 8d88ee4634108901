package dev.mobilenet.image.webp;

/**
 * libwebp's RGB output of a decoded VP8 frame: "fancy" upsampling (each chroma sample weighted 9:3:3:1 with
 * its neighbours, two luma rows per chroma row, the first and an even-height last row alone) and the 14-bit
 * fixed-point BT.601 conversion of {@code dsp/yuv.h}.
 */
final class YuvToRgb {
    private YuvToRgb() {
    }

    /**
     * The upsampling kernels, chosen once: the Vector API ones when {@code jdk.incubator.vector} is in the boot
     * layer and 8 ints fit a vector, unless {@code -Dmobilenet.kernels=scalar}.
     */
    private static final Vp8UpsampleKernels UPSAMPLE = WebpKernels.choose(() -> VectorVp8Upsample.supported(),
            () -> new VectorVp8Upsample(), ScalarVp8Upsample.INSTANCE);

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
     * How many output units, from unit 0, read macroblock row {@code mbY}'s pixels (luma rows {@code 16 mbY} to
     * {@code 16 mbY + 15}, chroma rows {@code 8 mbY} to {@code 8 mbY + 7}): the last is unit {@code 8 mbY + 8}.
     */
    static int unitsReading(int mbY) {
        return 8 * mbY + 9;
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
        for (int k = from; k < to; k++) {
            if (k == 0) {
                int c = f.chromaRow(0);
                linePair(y, f.lumaRow(0), -1, u, v, c, c, width, dst, off, -1);
                continue;
            }
            int row = 2 * k - 1;
            int cTop = f.chromaRow(k - 1);
            if (row + 1 < height) {
                linePair(y, f.lumaRow(row), f.lumaRow(row + 1), u, v, cTop, f.chromaRow(k), width, dst,
                        off + row * dstStride, off + (row + 1) * dstStride);
            } else {
                linePair(y, f.lumaRow(row), -1, u, v, cTop, cTop, width, dst, off + row * dstStride, -1);
            }
        }
    }

    /**
     * One pair of output rows: {@code topY} between chroma rows {@code cTop} (above) and {@code cCur}, and
     * {@code botY} (if not negative) below them.
     */
    private static void linePair(byte[] y, int topY, int botY, byte[] u, byte[] v, int cTop, int cCur, int len,
            byte[] dst, int topDst, int botDst) {
        edgePixel(y, topY, botY, u, v, cTop, cCur, 0, 0, dst, topDst, botDst);
        int last = (len - 1) >> 1;
        UPSAMPLE.pairs(y, topY, botY, u, v, cTop, cCur, 1, last + 1, dst, topDst, botDst);
        if ((len & 1) == 0) {
            edgePixel(y, topY, botY, u, v, cTop, cCur, last, len - 1, dst, topDst, botDst);
        }
    }

    /** Pixel {@code px} of both rows from chroma column {@code x} alone (3:1 vertically), as at the row ends. */
    private static void edgePixel(byte[] y, int topY, int botY, byte[] u, byte[] v, int cTop, int cCur, int x,
            int px, byte[] dst, int topDst, int botDst) {
        int tU = u[cTop + x] & 0xff;
        int tV = v[cTop + x] & 0xff;
        int cU = u[cCur + x] & 0xff;
        int cV = v[cCur + x] & 0xff;
        put(dst, topDst + 3 * px, y[topY + px] & 0xff, (3 * tU + cU + 2) >> 2, (3 * tV + cV + 2) >> 2);
        if (botY >= 0) {
            put(dst, botDst + 3 * px, y[botY + px] & 0xff, (3 * cU + tU + 2) >> 2, (3 * cV + tV + 2) >> 2);
        }
    }
}

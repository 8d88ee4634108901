package dev.mobilenet.image.webp;

/**
 * VP8's in-loop deblocking filters (RFC 6386 section 15) as libwebp computes them: the simple filter on luma
 * only, and the normal filter (macroblock edges with the 6-tap filter, inner edges with the 4-tap one, the
 * 2-tap filter where the edge has high variance). {@code thresh} is the edge limit as libwebp passes it
 * ({@code 2 * level + ilevel}, plus 4 on macroblock edges); a pixel pair is filtered when
 * {@code 4|p0 - q0| + |p1 - q1| <= 2 * thresh + 1}.
 */
final class Vp8LoopFilter {
    private Vp8LoopFilter() {
    }

    /**
     * The normal filter's edge kernels, chosen once: the Vector API ones when {@code jdk.incubator.vector} is in
     * the boot layer and 16 shorts fit a vector, unless {@code -Dmobilenet.kernels=scalar}.
     */
    private static final Vp8EdgeKernels EDGES = WebpKernels.choose(() -> VectorVp8Edges.supported(),
            () -> new VectorVp8Edges(), ScalarVp8Edges.INSTANCE);

    /** Clamps to -128..127 (libwebp's sclip1). */
    private static int sclip1(int v) {
        return v < -128 ? -128 : Math.min(v, 127);
    }

    /** Clamps to -16..15 (libwebp's sclip2). */
    private static int sclip2(int v) {
        return v < -16 ? -16 : Math.min(v, 15);
    }

    private static void filter2(byte[] b, int p, int step) {
        int p1 = b[p - 2 * step] & 0xff;
        int p0 = b[p - step] & 0xff;
        int q0 = b[p] & 0xff;
        int q1 = b[p + step] & 0xff;
        int a = 3 * (q0 - p0) + sclip1(p1 - q1);
        int a1 = sclip2((a + 4) >> 3);
        int a2 = sclip2((a + 3) >> 3);
        b[p - step] = clamp255(p0 + a2);
        b[p] = clamp255(q0 - a1);
    }

    private static boolean needsFilter(byte[] b, int p, int step, int t) {
        int p1 = b[p - 2 * step] & 0xff;
        int p0 = b[p - step] & 0xff;
        int q0 = b[p] & 0xff;
        int q1 = b[p + step] & 0xff;
        return 4 * Math.abs(p0 - q0) + Math.abs(p1 - q1) <= t;
    }


    /** Simple filter across the horizontal edge above row {@code p} (16 pixels). */
    static void simpleV16(byte[] b, int p, int stride, int thresh) {
        int t2 = 2 * thresh + 1;
        for (int i = 0; i < 16; i++) {
            if (needsFilter(b, p + i, stride, t2)) {
                filter2(b, p + i, stride);
            }
        }
    }

    /** Simple filter across the vertical edge left of column {@code p} (16 rows). */
    static void simpleH16(byte[] b, int p, int stride, int thresh) {
        int t2 = 2 * thresh + 1;
        for (int i = 0; i < 16; i++) {
            if (needsFilter(b, p + i * stride, 1, t2)) {
                filter2(b, p + i * stride, 1);
            }
        }
    }

    static void simpleV16i(byte[] b, int p, int stride, int thresh) {
        for (int k = 1; k <= 3; k++) {
            simpleV16(b, p + 4 * k * stride, stride, thresh);
        }
    }

    static void simpleH16i(byte[] b, int p, int stride, int thresh) {
        for (int k = 1; k <= 3; k++) {
            simpleH16(b, p + 4 * k, stride, thresh);
        }
    }

    /** {@code v} clamped to 0..255, for v in -1020..1275 (libwebp's clip1 table, widened). */
    private static final byte[] CLAMP = new byte[1020 + 1276];

    static {
        for (int i = 0; i < CLAMP.length; i++) {
            CLAMP[i] = (byte) Math.max(0, Math.min(255, i - 1020));
        }
    }

    private static byte clamp255(int v) {
        return CLAMP[v + 1020];
    }

    /** The normal filter on a macroblock edge: {@link #edge} with the 6-tap filter where the variance is low. */
    static void mbEdge(byte[] b, int p, int hs, int vs, int size, int thresh, int ithresh, int hevThresh) {
        edge(b, p, hs, vs, size, thresh, ithresh, hevThresh, false);
    }

    /** The normal filter on an inner edge: {@link #edge} with the 4-tap filter where the variance is low. */
    static void innerEdge(byte[] b, int p, int hs, int vs, int size, int thresh, int ithresh, int hevThresh) {
        edge(b, p, hs, vs, size, thresh, ithresh, hevThresh, true);
    }

    /**
     * The normal filter on an edge at {@code size} positions: each position's eight pixels are read once and tested
     * (edge limit and interior limit together, as one sign test); where the edge has high variance the 2-tap filter
     * changes two pixels, elsewhere the 4-tap filter ({@code inner}) four or the 6-tap filter six.
     */
    private static void edge(byte[] b, int p, int hs, int vs, int size, int thresh, int ithresh, int hevThresh,
            boolean inner) {
        int t2 = 2 * thresh + 1;
        for (int i = 0; i < size; i++, p += vs) {
            int p3 = b[p - 4 * hs] & 0xff;
            int p2 = b[p - 3 * hs] & 0xff;
            int p1 = b[p - 2 * hs] & 0xff;
            int p0 = b[p - hs] & 0xff;
            int q0 = b[p] & 0xff;
            int q1 = b[p + hs] & 0xff;
            int q2 = b[p + 2 * hs] & 0xff;
            int q3 = b[p + 3 * hs] & 0xff;
            int d10 = Math.abs(p1 - p0);
            int e10 = Math.abs(q1 - q0);
            int keep = (t2 - 4 * Math.abs(p0 - q0) - Math.abs(p1 - q1)) | (ithresh - Math.abs(p3 - p2))
                    | (ithresh - Math.abs(p2 - p1)) | (ithresh - d10) | (ithresh - Math.abs(q3 - q2))
                    | (ithresh - Math.abs(q2 - q1)) | (ithresh - e10);
            if (keep < 0) {
                continue;
            }
            if (Math.max(d10, e10) > hevThresh) {
                int a = 3 * (q0 - p0) + sclip1(p1 - q1);
                b[p - hs] = clamp255(p0 + sclip2((a + 3) >> 3));
                b[p] = clamp255(q0 - sclip2((a + 4) >> 3));
            } else if (inner) {
                int a = 3 * (q0 - p0);
                int a1 = sclip2((a + 4) >> 3);
                int a3 = (a1 + 1) >> 1;
                b[p - 2 * hs] = clamp255(p1 + a3);
                b[p - hs] = clamp255(p0 + sclip2((a + 3) >> 3));
                b[p] = clamp255(q0 - a1);
                b[p + hs] = clamp255(q1 - a3);
            } else {
                int a = sclip1(3 * (q0 - p0) + sclip1(p1 - q1));
                int a1 = (27 * a + 63) >> 7;
                int a2 = (18 * a + 63) >> 7;
                int a3 = (9 * a + 63) >> 7;
                b[p - 3 * hs] = clamp255(p2 + a3);
                b[p - 2 * hs] = clamp255(p1 + a2);
                b[p - hs] = clamp255(p0 + a1);
                b[p] = clamp255(q0 - a1);
                b[p + hs] = clamp255(q1 - a2);
                b[p + 2 * hs] = clamp255(q2 - a3);
            }
        }
    }

    static void v16(byte[] b, int p, int stride, int thresh, int ithresh, int hev) {
        EDGES.mbEdge16(b, p, stride, thresh, ithresh, hev);
    }

    static void v16i(byte[] b, int p, int stride, int thresh, int ithresh, int hev) {
        for (int k = 1; k <= 3; k++) {
            EDGES.innerEdge16(b, p + 4 * k * stride, stride, thresh, ithresh, hev);
        }
    }

    /** The vertical luma edges of one macroblock: {@link Vp8EdgeKernels#yColumns} of the chosen kernels. */
    static void yColumns(byte[] y, int p, int stride, boolean edge, boolean inner, int thresh, int ithresh, int hev,
            byte[] scratch) {
        EDGES.yColumns(y, p, stride, edge, inner, thresh, ithresh, hev, scratch);
    }

    /** The vertical chroma edges of one macroblock: {@link Vp8EdgeKernels#uvColumns} of the chosen kernels. */
    static void uvColumns(byte[] u, byte[] v, int p, int stride, boolean edge, boolean inner, int thresh,
            int ithresh, int hev, byte[] scratch) {
        EDGES.uvColumns(u, v, p, stride, edge, inner, thresh, ithresh, hev, scratch);
    }

    /** The horizontal chroma edges of one macroblock: {@link Vp8EdgeKernels#uvRows} of the chosen kernels. */
    static void uvRows(byte[] u, byte[] v, int p, int stride, boolean edge, boolean inner, int thresh, int ithresh,
            int hev, byte[] scratch) {
        EDGES.uvRows(u, v, p, stride, edge, inner, thresh, ithresh, hev, scratch);
    }
}

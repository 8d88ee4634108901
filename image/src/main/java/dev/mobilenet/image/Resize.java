package dev.mobilenet.image;

import dev.mobilenet.preprocess.Interpolation;

/**
 * Pillow 9.4's {@code Image.resize(size, resample)} of an RGB image, bit for bit.
 *
 * <p>The filters follow {@code libImaging/Resample.c}: per output pixel, the filter is centred at
 * {@code (x + 0.5) * scale} with its support widened by {@code max(scale, 1)}; weights are normalised to sum 1,
 * then turned into 22-bit fixed point (rounded away from zero), and each channel is accumulated in an int
 * starting at one half and clipped to 8 bits. The horizontal pass runs first, over the rows the vertical pass
 * will read, and a pass is skipped when its dimension does not change.
 *
 * <p>NEAREST is Pillow's affine scale ({@code Geometry.c}): source column {@code (int) xo} where {@code xo} starts
 * at half a step and is advanced by repeated double additions, the same for rows.
 *
 * <p>Stateless and thread-safe; each call allocates its output, a pass buffer and the coefficient tables.
 */
public final class Resize {
    private static final int PRECISION_BITS = 32 - 8 - 2;
    private static final int HALF = 1 << (PRECISION_BITS - 1);

    private Resize() {
    }

    /** Resizes to {@code width x height}; the same size gives a copy, as in Pillow. */
    public static RgbImage resize(RgbImage src, int width, int height, Interpolation filter) {
        if (width < 1 || height < 1) {
            throw new IllegalArgumentException("height and width must be > 0, got " + width + "x" + height);
        }
        if (width == src.width() && height == src.height()) {
            return new RgbImage(width, height, src.rgb().clone());
        }
        if (filter == Interpolation.NEAREST) {
            return nearest(src, width, height);
        }
        Coefficients horiz = Coefficients.of(src.width(), width, filter);
        Coefficients vert = Coefficients.of(src.height(), height, filter);
        boolean needHorizontal = width != src.width();
        boolean needVertical = height != src.height();
        byte[] in = src.rgb();
        int inW = src.width();
        int rowOffset = 0;
        int[] vBounds = vert.bounds;
        if (needHorizontal) {
            int first = vert.bounds[0];
            int last = vert.bounds[2 * height - 2] + vert.bounds[2 * height - 1];
            if (!needVertical) {
                first = 0;
                last = src.height();
            }
            byte[] tmp = new byte[Math.multiplyExact(Math.multiplyExact(width, last - first), 3)];
            horizontal(tmp, in, inW, first, last - first, width, horiz);
            in = tmp;
            inW = width;
            rowOffset = first;
            if (!needVertical) {
                return new RgbImage(width, height, tmp);
            }
        }
        byte[] out = new byte[Math.multiplyExact(Math.multiplyExact(width, height), 3)];
        vertical(out, in, inW, rowOffset, height, vBounds, vert);
        return new RgbImage(width, height, out);
    }

    /** Pillow's coefficient table for one axis: per output index, first input index, count, and int weights. */
    static final class Coefficients {
        final int ksize;
        final int[] bounds;
        final int[] kk;

        private Coefficients(int ksize, int[] bounds, int[] kk) {
            this.ksize = ksize;
            this.bounds = bounds;
            this.kk = kk;
        }

        static Coefficients of(int inSize, int outSize, Interpolation filter) {
            double scale = (double) (float) inSize / outSize;
            double filterScale = Math.max(scale, 1.0);
            double support = filter.support() * filterScale;
            int ksize = (int) Math.ceil(support) * 2 + 1;
            if (outSize > Integer.MAX_VALUE / (ksize * 8)) {
                throw new IllegalArgumentException("resize to " + outSize + " is too large");
            }
            int[] bounds = new int[outSize * 2];
            int[] kk = new int[outSize * ksize];
            double[] k = new double[ksize];
            double ss = 1.0 / filterScale;
            for (int xx = 0; xx < outSize; xx++) {
                double center = (xx + 0.5) * scale;
                double ww = 0.0;
                int xmin = (int) (center - support + 0.5);
                if (xmin < 0) {
                    xmin = 0;
                }
                int xmax = (int) (center + support + 0.5);
                if (xmax > inSize) {
                    xmax = inSize;
                }
                xmax -= xmin;
                for (int x = 0; x < xmax; x++) {
                    double w = weight(filter, (x + xmin - center + 0.5) * ss);
                    k[x] = w;
                    ww += w;
                }
                for (int x = 0; x < xmax; x++) {
                    double v = ww != 0.0 ? k[x] / ww : k[x];
                    kk[xx * ksize + x] = v < 0 ? (int) (-0.5 + v * (1 << PRECISION_BITS))
                            : (int) (0.5 + v * (1 << PRECISION_BITS));
                }
                bounds[xx * 2] = xmin;
                bounds[xx * 2 + 1] = xmax;
            }
            return new Coefficients(ksize, bounds, kk);
        }
    }

    private static int clip8(int ss) {
        int v = ss >> PRECISION_BITS;
        return v < 0 ? 0 : Math.min(v, 255);
    }

    /** Rows {@code [first, first + rows)} of {@code in} resampled horizontally into {@code out} (rows x outW). */
    private static void horizontal(byte[] out, byte[] in, int inW, int first, int rows, int outW, Coefficients c) {
        int[] kk = c.kk;
        int ksize = c.ksize;
        for (int y = 0; y < rows; y++) {
            int rowBase = (first + y) * inW;
            int o = y * outW * 3;
            for (int xx = 0; xx < outW; xx++, o += 3) {
                int xmin = c.bounds[xx * 2];
                int xmax = c.bounds[xx * 2 + 1];
                int kb = xx * ksize;
                int s0 = HALF;
                int s1 = HALF;
                int s2 = HALF;
                int p = (rowBase + xmin) * 3;
                for (int x = 0; x < xmax; x++, p += 3) {
                    int k = kk[kb + x];
                    s0 += (in[p] & 0xff) * k;
                    s1 += (in[p + 1] & 0xff) * k;
                    s2 += (in[p + 2] & 0xff) * k;
                }
                out[o] = (byte) clip8(s0);
                out[o + 1] = (byte) clip8(s1);
                out[o + 2] = (byte) clip8(s2);
            }
        }
    }

    /** Vertical pass; {@code in}'s row 0 is source row {@code rowOffset}. */
    private static void vertical(byte[] out, byte[] in, int w, int rowOffset, int outH, int[] bounds,
                                 Coefficients c) {
        int[] kk = c.kk;
        int ksize = c.ksize;
        int rowBytes = w * 3;
        for (int yy = 0; yy < outH; yy++) {
            int ymin = bounds[yy * 2] - rowOffset;
            int ymax = bounds[yy * 2 + 1];
            int kb = yy * ksize;
            int o = yy * rowBytes;
            for (int xx = 0; xx < rowBytes; xx++) {
                int s = HALF;
                int p = ymin * rowBytes + xx;
                for (int y = 0; y < ymax; y++, p += rowBytes) {
                    s += (in[p] & 0xff) * kk[kb + y];
                }
                out[o + xx] = (byte) clip8(s);
            }
        }
    }

    private static RgbImage nearest(RgbImage src, int width, int height) {
        int inW = src.width();
        int inH = src.height();
        double a0 = (double) (float) inW / width;
        double a4 = (double) (float) inH / height;
        int[] xin = new int[width];
        int xmin = width;
        int xmax = 0;
        double xo = 0.0 + a0 * 0.5;
        for (int x = 0; x < width; x++) {
            int xi = xo < 0.0 ? -1 : (int) xo;
            if (xi >= 0 && xi < inW) {
                xmax = x + 1;
                if (x < xmin) {
                    xmin = x;
                }
                xin[x] = xi;
            }
            xo += a0;
        }
        byte[] in = src.rgb();
        byte[] out = new byte[Math.multiplyExact(Math.multiplyExact(width, height), 3)];
        double yo = 0.0 + a4 * 0.5;
        for (int y = 0; y < height; y++) {
            int yi = yo < 0.0 ? -1 : (int) yo;
            if (yi >= 0 && yi < inH) {
                int ib = yi * inW * 3;
                int ob = y * width * 3;
                for (int x = xmin; x < xmax; x++) {
                    int p = ib + xin[x] * 3;
                    int o = ob + x * 3;
                    out[o] = in[p];
                    out[o + 1] = in[p + 1];
                    out[o + 2] = in[p + 2];
                }
            }
            yo += a4;
        }
        return new RgbImage(width, height, out);
    }

    /** The filter's weight at distance {@code x} (in input pixels at scale 1), as Pillow's Resample.c defines it. */
    private static double weight(Interpolation filter, double x) {
        switch (filter) {
            case BOX:
                return x > -0.5 && x <= 0.5 ? 1.0 : 0.0;
            case BILINEAR: {
                double ax = Math.abs(x);
                return ax < 1.0 ? 1.0 - ax : 0.0;
            }
            case HAMMING: {
                double ax = Math.abs(x);
                if (ax == 0.0) {
                    return 1.0;
                }
                if (ax >= 1.0) {
                    return 0.0;
                }
                double px = ax * Math.PI;
                return StrictMath.sin(px) / px * (0.54f + 0.46f * StrictMath.cos(px));
            }
            case BICUBIC: {
                final double a = -0.5;
                double ax = Math.abs(x);
                if (ax < 1.0) {
                    return ((a + 2.0) * ax - (a + 3.0)) * ax * ax + 1;
                }
                if (ax < 2.0) {
                    return (((ax - 5) * ax + 8) * ax - 4) * a;
                }
                return 0.0;
            }
            case LANCZOS:
                return -3.0 <= x && x < 3.0 ? sinc(x) * sinc(x / 3) : 0.0;
            default:
                throw new IllegalStateException("NEAREST has no filter weights");
        }
    }

    private static double sinc(double x) {
        if (x == 0.0) {
            return 1.0;
        }
        double px = x * Math.PI;
        return StrictMath.sin(px) / px;
    }
}

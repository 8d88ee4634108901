package dev.mobilenet.data;

import dev.mobilenet.preprocess.Interpolation;
import dev.mobilenet.image.Resize;
import dev.mobilenet.image.RgbImage;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Arrays;

/**
 * The Pillow 9.4 operations behind timm's RandAugment and torchvision's ColorJitter, on {@link RgbImage}s,
 * with Pillow's arithmetic: {@code ImageOps} look-up tables (autocontrast, equalize, invert, posterize,
 * solarize), {@code ImageEnhance} blends ({@code Image.blend} in float32, truncated; clipped when
 * extrapolating), the {@code SMOOTH} 3x3 kernel for sharpness, {@code convert('L')} with ITU-R 601-2 integer
 * weights, and {@code Image.transform(AFFINE)} with Geometry.c's bilinear and bicubic filters (pixels mapped
 * outside the source keep the fill colour). Every op returns a new image; inputs are never modified.
 */
public final class PilOps {
    private PilOps() {
    }

    // ------------------------------------------------------------------ look-up tables (ImageOps)

    /** {@code ImageOps.autocontrast(image)} with cutoff 0: per channel, stretch [lo, hi] to [0, 255]. */
    public static RgbImage autoContrast(RgbImage im) {
        int[][] hist = histogram(im);
        int[][] lut = new int[3][256];
        for (int c = 0; c < 3; c++) {
            int lo = 0;
            while (lo < 256 && hist[c][lo] == 0) {
                lo++;
            }
            int hi = 255;
            while (hi >= 0 && hist[c][hi] == 0) {
                hi--;
            }
            if (hi <= lo) {
                for (int i = 0; i < 256; i++) {
                    lut[c][i] = i;
                }
                continue;
            }
            double scale = 255.0 / (hi - lo);
            double offset = -lo * scale;
            for (int i = 0; i < 256; i++) {
                int v = (int) (i * scale + offset);
                lut[c][i] = Math.max(0, Math.min(255, v));
            }
        }
        return applyLut(im, lut);
    }

    /** {@code ImageOps.equalize(image)}. */
    public static RgbImage equalize(RgbImage im) {
        int[][] hist = histogram(im);
        int[][] lut = new int[3][256];
        for (int c = 0; c < 3; c++) {
            int[] h = hist[c];
            long total = 0;
            int nonZero = 0;
            int last = 0;
            for (int i = 0; i < 256; i++) {
                if (h[i] != 0) {
                    nonZero++;
                    total += h[i];
                    last = h[i];
                }
            }
            long step = nonZero <= 1 ? 0 : (total - last) / 255;
            if (step == 0) {
                for (int i = 0; i < 256; i++) {
                    lut[c][i] = i;
                }
                continue;
            }
            long n = step / 2;
            for (int i = 0; i < 256; i++) {
                lut[c][i] = (int) Math.min(255, n / step);
                n += h[i];
            }
        }
        return applyLut(im, lut);
    }

    /** {@code ImageOps.invert}: 255 - v. */
    public static RgbImage invert(RgbImage im) {
        int[] lut = new int[256];
        for (int i = 0; i < 256; i++) {
            lut[i] = 255 - i;
        }
        return applyLut(im, lut);
    }

    /** {@code ImageOps.posterize(image, bits)}: keep the top {@code bits} bits (timm returns 8+ unchanged). */
    public static RgbImage posterize(RgbImage im, int bits) {
        if (bits >= 8) {
            return copy(im);
        }
        int mask = ~((1 << (8 - Math.max(bits, 0))) - 1);
        int[] lut = new int[256];
        for (int i = 0; i < 256; i++) {
            lut[i] = i & mask & 0xff;
        }
        return applyLut(im, lut);
    }

    /** {@code ImageOps.solarize(image, threshold)}: values at or above the threshold are inverted. */
    public static RgbImage solarize(RgbImage im, int threshold) {
        int[] lut = new int[256];
        for (int i = 0; i < 256; i++) {
            lut[i] = i < threshold ? i : 255 - i;
        }
        return applyLut(im, lut);
    }

    /** timm's {@code solarize_add}: {@code min(255, v + add)} below the threshold, unchanged above. */
    public static RgbImage solarizeAdd(RgbImage im, int add, int threshold) {
        int[] lut = new int[256];
        for (int i = 0; i < 256; i++) {
            lut[i] = i < threshold ? Math.max(0, Math.min(255, i + add)) : i;
        }
        return applyLut(im, lut);
    }

    private static int[][] histogram(RgbImage im) {
        int[][] h = new int[3][256];
        byte[] p = im.rgb();
        for (int i = 0; i < p.length; i += 3) {
            h[0][p[i] & 0xff]++;
            h[1][p[i + 1] & 0xff]++;
            h[2][p[i + 2] & 0xff]++;
        }
        return h;
    }

    private static RgbImage applyLut(RgbImage im, int[] lut) {
        return applyLut(im, new int[][] {lut, lut, lut});
    }

    private static RgbImage applyLut(RgbImage im, int[][] lut) {
        byte[] p = im.rgb();
        byte[] o = new byte[p.length];
        for (int i = 0; i < p.length; i += 3) {
            o[i] = (byte) lut[0][p[i] & 0xff];
            o[i + 1] = (byte) lut[1][p[i + 1] & 0xff];
            o[i + 2] = (byte) lut[2][p[i + 2] & 0xff];
        }
        return new RgbImage(im.width(), im.height(), o);
    }

    // ------------------------------------------------------------------ ImageEnhance

    /** {@code ImageEnhance.Color(im).enhance(f)}: blend with the grey image ({@code convert('L')}). */
    public static RgbImage color(RgbImage im, double factor) {
        byte[] p = im.rgb();
        byte[] grey = new byte[p.length];
        for (int i = 0; i < p.length; i += 3) {
            byte l = (byte) luma(p[i] & 0xff, p[i + 1] & 0xff, p[i + 2] & 0xff);
            grey[i] = l;
            grey[i + 1] = l;
            grey[i + 2] = l;
        }
        return blend(grey, im, factor);
    }

    /** {@code ImageEnhance.Contrast(im).enhance(f)}: blend with the mean grey level (rounded). */
    public static RgbImage contrast(RgbImage im, double factor) {
        byte[] p = im.rgb();
        long[] hist = new long[256];
        for (int i = 0; i < p.length; i += 3) {
            hist[luma(p[i] & 0xff, p[i + 1] & 0xff, p[i + 2] & 0xff)]++;
        }
        double sum = 0;
        long count = 0;
        for (int i = 0; i < 256; i++) {
            sum += (double) i * hist[i];
            count += hist[i];
        }
        int mean = (int) (sum / count + 0.5);
        byte[] degenerate = new byte[p.length];
        Arrays.fill(degenerate, (byte) mean);
        return blend(degenerate, im, factor);
    }

    /** {@code ImageEnhance.Brightness(im).enhance(f)}: blend with black. */
    public static RgbImage brightness(RgbImage im, double factor) {
        return blend(new byte[im.rgb().length], im, factor);
    }

    /** {@code ImageEnhance.Sharpness(im).enhance(f)}: blend with the {@code ImageFilter.SMOOTH} image. */
    public static RgbImage sharpness(RgbImage im, double factor) {
        return blend(smooth(im).rgb(), im, factor);
    }

    /** PIL's {@code L} conversion: {@code (19595 R + 38470 G + 7471 B + 0x8000) >> 16}. */
    static int luma(int r, int g, int b) {
        return (r * 19595 + g * 38470 + b * 7471 + 0x8000) >> 16;
    }

    /** {@code Image.blend(degenerate, im, alpha)}: float32 arithmetic, truncated, clipped when extrapolating. */
    static RgbImage blend(byte[] degenerate, RgbImage im, double factor) {
        float alpha = (float) factor;
        byte[] p = im.rgb();
        if (alpha == 0f) {
            return new RgbImage(im.width(), im.height(), degenerate.clone());
        }
        if (alpha == 1f) {
            return copy(im);
        }
        byte[] o = new byte[p.length];
        boolean inside = alpha >= 0f && alpha <= 1f;
        for (int i = 0; i < p.length; i++) {
            int a = degenerate[i] & 0xff;
            int b = p[i] & 0xff;
            float t = a + alpha * (b - a);
            if (inside) {
                o[i] = (byte) (int) t;
            } else {
                o[i] = (byte) (t <= 0f ? 0 : t >= 255f ? 255 : (int) t);
            }
        }
        return new RgbImage(im.width(), im.height(), o);
    }

    /** {@code im.filter(ImageFilter.SMOOTH)}: 3x3 kernel (1 1 1 / 1 5 1 / 1 1 1) / 13 in float32, rounded, border copied. */
    static RgbImage smooth(RgbImage im) {
        int w = im.width();
        int h = im.height();
        byte[] p = im.rgb();
        byte[] o = p.clone();
        float k1 = 1f / 13f;
        float k5 = 5f / 13f;
        for (int y = 1; y < h - 1; y++) {
            for (int x = 1; x < w - 1; x++) {
                for (int c = 0; c < 3; c++) {
                    int up = ((y - 1) * w + x) * 3 + c;
                    int mid = (y * w + x) * 3 + c;
                    int down = ((y + 1) * w + x) * 3 + c;
                    float ss = 0f;
                    ss += (float) (p[down - 3] & 0xff) * k1 + (float) (p[down] & 0xff) * k1
                            + (float) (p[down + 3] & 0xff) * k1;
                    ss += (float) (p[mid - 3] & 0xff) * k1 + (float) (p[mid] & 0xff) * k5
                            + (float) (p[mid + 3] & 0xff) * k1;
                    ss += (float) (p[up - 3] & 0xff) * k1 + (float) (p[up] & 0xff) * k1
                            + (float) (p[up + 3] & 0xff) * k1;
                    o[mid] = (byte) clip8(ss);
                }
            }
        }
        return new RgbImage(w, h, o);
    }

    private static int clip8(float v) {
        return v <= 0f ? 0 : v >= 255f ? 255 : (int) (v + 0.5);
    }

    // ------------------------------------------------------------------ geometry

    /** {@code Image.transpose(FLIP_LEFT_RIGHT)}. */
    public static RgbImage flipHorizontal(RgbImage im) {
        int w = im.width();
        byte[] p = im.rgb();
        byte[] o = new byte[p.length];
        for (int y = 0; y < im.height(); y++) {
            int row = y * w * 3;
            for (int x = 0; x < w; x++) {
                int s = row + x * 3;
                int d = row + (w - 1 - x) * 3;
                o[d] = p[s];
                o[d + 1] = p[s + 1];
                o[d + 2] = p[s + 2];
            }
        }
        return new RgbImage(w, im.height(), o);
    }

    /** torchvision's {@code resized_crop} on a PIL image: {@code crop((left, top, left + w, top + h))}, then resize. */
    public static RgbImage resizedCrop(RgbImage im, int top, int left, int height, int width, int outW, int outH,
                                       Interpolation filter) {
        return Resize.resize(crop(im, top, left, height, width), outW, outH, filter);
    }

    /** {@code Image.crop}: areas outside the image are black, as in Pillow. */
    public static RgbImage crop(RgbImage im, int top, int left, int height, int width) {
        byte[] o = new byte[Math.multiplyExact(Math.multiplyExact(width, height), 3)];
        byte[] p = im.rgb();
        for (int y = 0; y < height; y++) {
            int sy = y + top;
            if (sy < 0 || sy >= im.height()) {
                continue;
            }
            for (int x = 0; x < width; x++) {
                int sx = x + left;
                if (sx >= 0 && sx < im.width()) {
                    System.arraycopy(p, (sy * im.width() + sx) * 3, o, (y * width + x) * 3, 3);
                }
            }
        }
        return new RgbImage(width, height, o);
    }

    /** {@code img.rotate(degrees, resample, fillcolor=fill)} (no expand, centre rotation), counter-clockwise. */
    public static RgbImage rotate(RgbImage im, double degrees, Interpolation filter, int[] fill) {
        double angle = degrees % 360.0;
        if (angle < 0) {
            angle += 360.0;
        }
        int w = im.width();
        int h = im.height();
        if (angle == 0) {
            return copy(im);
        }
        if (angle == 180) {
            return transposeRotate(im, 180);
        }
        if ((angle == 90 || angle == 270) && w == h) {
            return transposeRotate(im, (int) angle);
        }
        double rad = -Math.toRadians(angle);
        double a = round15(Math.cos(rad));
        double b = round15(Math.sin(rad));
        double d = round15(-Math.sin(rad));
        double e = round15(Math.cos(rad));
        double cx = w / 2.0;
        double cy = h / 2.0;
        double c = a * -cx + b * -cy + 0.0;
        double f = d * -cx + e * -cy + 0.0;
        c += cx;
        f += cy;
        return affine(im, new double[] {a, b, c, d, e, f}, filter, fill);
    }

    /** Python's {@code round(x, 15)}: correctly rounded, half to even on the exact binary value. */
    private static double round15(double x) {
        return new BigDecimal(x).setScale(15, RoundingMode.HALF_EVEN).doubleValue();
    }

    private static RgbImage transposeRotate(RgbImage im, int angle) {
        int w = im.width();
        int h = im.height();
        byte[] p = im.rgb();
        int ow = angle == 180 ? w : h;
        int oh = angle == 180 ? h : w;
        byte[] o = new byte[p.length];
        for (int y = 0; y < oh; y++) {
            for (int x = 0; x < ow; x++) {
                int sx;
                int sy;
                if (angle == 180) {
                    sx = w - 1 - x;
                    sy = h - 1 - y;
                } else if (angle == 90) {
                    sx = w - 1 - y;
                    sy = x;
                } else {
                    sx = y;
                    sy = h - 1 - x;
                }
                System.arraycopy(p, (sy * w + sx) * 3, o, (y * ow + x) * 3, 3);
            }
        }
        return new RgbImage(ow, oh, o);
    }

    /** timm's {@code shear_x}: affine {@code (1, factor, 0, 0, 1, 0)}. */
    public static RgbImage shearX(RgbImage im, double factor, Interpolation filter, int[] fill) {
        return affine(im, new double[] {1, factor, 0, 0, 1, 0}, filter, fill);
    }

    /** timm's {@code shear_y}: affine {@code (1, 0, 0, factor, 1, 0)}. */
    public static RgbImage shearY(RgbImage im, double factor, Interpolation filter, int[] fill) {
        return affine(im, new double[] {1, 0, 0, factor, 1, 0}, filter, fill);
    }

    /** timm's {@code translate_x_rel}: shift by {@code pct * width} pixels (source offset). */
    public static RgbImage translateXRel(RgbImage im, double pct, Interpolation filter, int[] fill) {
        return affine(im, new double[] {1, 0, pct * im.width(), 0, 1, 0}, filter, fill);
    }

    /** timm's {@code translate_y_rel}: shift by {@code pct * height} pixels (source offset). */
    public static RgbImage translateYRel(RgbImage im, double pct, Interpolation filter, int[] fill) {
        return affine(im, new double[] {1, 0, 0, 0, 1, pct * im.height()}, filter, fill);
    }

    /**
     * {@code Image.transform(size, AFFINE, a, resample, fillcolor=fill)}: output pixel (x, y) samples the source at
     * {@code (a0 (x+.5) + a1 (y+.5) + a2, a3 (x+.5) + a4 (y+.5) + a5)} with Geometry.c's filter; positions outside
     * the source keep {@code fill}.
     */
    public static RgbImage affine(RgbImage im, double[] a, Interpolation filter, int[] fill) {
        if (filter != Interpolation.BILINEAR && filter != Interpolation.BICUBIC) {
            throw new IllegalArgumentException("affine transforms support bilinear and bicubic, got " + filter);
        }
        int w = im.width();
        int h = im.height();
        byte[] p = im.rgb();
        byte[] o = new byte[p.length];
        boolean cubic = filter == Interpolation.BICUBIC;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double xin = x + 0.5;
                double yin = y + 0.5;
                double xx = a[0] * xin + a[1] * yin + a[2];
                double yy = a[3] * xin + a[4] * yin + a[5];
                int out = (y * w + x) * 3;
                if (xx < 0.0 || xx >= w || yy < 0.0 || yy >= h) {
                    o[out] = (byte) fill[0];
                    o[out + 1] = (byte) fill[1];
                    o[out + 2] = (byte) fill[2];
                } else if (cubic) {
                    bicubic(o, out, p, w, h, xx - 0.5, yy - 0.5);
                } else {
                    bilinear(o, out, p, w, h, xx - 0.5, yy - 0.5);
                }
            }
        }
        return new RgbImage(w, h, o);
    }

    private static int clip(int v, int size) {
        return v < 0 ? 0 : v < size ? v : size - 1;
    }

    /** Samples at ({@code sx}, {@code sy}) in pixel-centre coordinates (pixel (0, 0) centred at 0, 0). */
    private static void bilinear(byte[] o, int out, byte[] p, int w, int h, double sx, double sy) {
        int x = (int) Math.floor(sx);
        int y = (int) Math.floor(sy);
        double dx = sx - x;
        double dy = sy - y;
        int row0 = clip(y, h) * w;
        boolean hasRow1 = y + 1 >= 0 && y + 1 < h;
        int row1 = (y + 1) * w;
        int x0 = clip(x, w);
        int x1 = clip(x + 1, w);
        for (int b = 0; b < 3; b++) {
            int a0 = p[(row0 + x0) * 3 + b] & 0xff;
            int a1 = p[(row0 + x1) * 3 + b] & 0xff;
            double v1 = a0 + (a1 - a0) * dx;
            double v2 = v1;
            if (hasRow1) {
                int c0 = p[(row1 + x0) * 3 + b] & 0xff;
                int c1 = p[(row1 + x1) * 3 + b] & 0xff;
                v2 = c0 + (c1 - c0) * dx;
            }
            v1 = v1 + (v2 - v1) * dy;
            o[out + b] = (byte) (int) v1;
        }
    }

    private static double cubic(double v1, double v2, double v3, double v4, double d) {
        double p1 = v2;
        double p2 = -v1 + v3;
        double p3 = 2 * (v1 - v2) + v3 - v4;
        double p4 = -v1 + v2 - v3 + v4;
        return p1 + d * (p2 + d * (p3 + d * p4));
    }

    /** Samples at ({@code sx}, {@code sy}) in pixel-centre coordinates, as {@link #bilinear}. */
    private static void bicubic(byte[] o, int out, byte[] p, int w, int h, double sx, double sy) {
        int x = (int) Math.floor(sx);
        int y = (int) Math.floor(sy);
        double dx = sx - x;
        double dy = sy - y;
        x--;
        y--;
        int x0 = clip(x, w);
        int x1 = clip(x + 1, w);
        int x2 = clip(x + 2, w);
        int x3 = clip(x + 3, w);
        for (int b = 0; b < 3; b++) {
            int r = clip(y, h) * w;
            double v1 = cubicRow(p, r, x0, x1, x2, x3, b, dx);
            double v2 = y + 1 >= 0 && y + 1 < h ? cubicRow(p, (y + 1) * w, x0, x1, x2, x3, b, dx) : v1;
            double v3 = y + 2 >= 0 && y + 2 < h ? cubicRow(p, (y + 2) * w, x0, x1, x2, x3, b, dx) : v2;
            double v4 = y + 3 >= 0 && y + 3 < h ? cubicRow(p, (y + 3) * w, x0, x1, x2, x3, b, dx) : v3;
            double v = cubic(v1, v2, v3, v4, dy);
            o[out + b] = (byte) (v <= 0.0 ? 0 : v >= 255.0 ? 255 : (int) v);
        }
    }

    private static double cubicRow(byte[] p, int row, int x0, int x1, int x2, int x3, int b, double dx) {
        return cubic(p[(row + x0) * 3 + b] & 0xff, p[(row + x1) * 3 + b] & 0xff, p[(row + x2) * 3 + b] & 0xff,
                p[(row + x3) * 3 + b] & 0xff, dx);
    }

    static RgbImage copy(RgbImage im) {
        return new RgbImage(im.width(), im.height(), im.rgb().clone());
    }
}

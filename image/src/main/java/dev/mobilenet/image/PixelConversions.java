package dev.mobilenet.image;

/**
 * The integer colour arithmetic of libjpeg ({@code jdcolor.c}: YCbCr to RGB, YCCK to CMYK) and of Pillow 9.4
 * ({@code Convert.c}: CMYK to RGB on Adobe-inverted samples), reproduced so that decoded pixels equal Pillow's.
 */
final class PixelConversions {
    private static final int SCALEBITS = 16;
    private static final int ONE_HALF = 1 << (SCALEBITS - 1);
    private static final int[] CR_R = new int[256];
    private static final int[] CB_B = new int[256];
    private static final int[] CR_G = new int[256];
    private static final int[] CB_G = new int[256];

    static {
        for (int i = 0; i < 256; i++) {
            int x = i - 128;
            CR_R[i] = (fix(1.40200) * x + ONE_HALF) >> SCALEBITS;
            CB_B[i] = (fix(1.77200) * x + ONE_HALF) >> SCALEBITS;
            CR_G[i] = -fix(0.71414) * x;
            CB_G[i] = -fix(0.34414) * x + ONE_HALF;
        }
    }

    private PixelConversions() {
    }

    private static int fix(double x) {
        return (int) (x * (1L << SCALEBITS) + 0.5);
    }

    static int clamp8(int v) {
        return v < 0 ? 0 : Math.min(v, 255);
    }

    /** libjpeg's YCbCr to RGB into {@code rgb[o..o+2]}. */
    static void yccToRgb(byte[] rgb, int o, int y, int cb, int cr) {
        rgb[o] = (byte) clamp8(y + CR_R[cr]);
        rgb[o + 1] = (byte) clamp8(y + ((CB_G[cb] + CR_G[cr]) >> SCALEBITS));
        rgb[o + 2] = (byte) clamp8(y + CB_B[cb]);
    }

    /** libjpeg's YCCK to CMYK for the first three channels (K passes through). */
    static int ycckToC(int y, int cr) {
        return clamp8(255 - (y + CR_R[cr]));
    }

    static int ycckToM(int y, int cb, int cr) {
        return clamp8(255 - (y + ((CB_G[cb] + CR_G[cr]) >> SCALEBITS)));
    }

    static int ycckToY(int y, int cb) {
        return clamp8(255 - (y + CB_B[cb]));
    }

    /**
     * Pillow's CMYK to RGB on the samples as stored in an Adobe JPEG: Pillow reads CMYK JPEGs as {@code CMYK;I}
     * (every sample inverted), then {@code cmyk2rgb}: {@code R = clip(nk - c*nk/255)} with {@code nk = 255 - k}
     * and its rounded division by 255.
     */
    static void adobeCmykToRgb(byte[] rgb, int o, int c, int m, int y, int k) {
        int nk = k; // 255 - (255 - k)
        rgb[o] = (byte) clamp8(nk - mulDiv255(255 - c, nk));
        rgb[o + 1] = (byte) clamp8(nk - mulDiv255(255 - m, nk));
        rgb[o + 2] = (byte) clamp8(nk - mulDiv255(255 - y, nk));
    }

    /** Pillow's MULDIV255: {@code (a * b + 127) / 255} by shifts. */
    static int mulDiv255(int a, int b) {
        int t = a * b + 128;
        return ((t >> 8) + t) >> 8;
    }
}

package dev.mobilenet.image;

/**
 * An 8-bit RGB image, rows top to bottom, pixels interleaved ({@code rgb[(y * width + x) * 3 + c]}, HWC), as
 * Pillow holds an {@code 'RGB'} image. The array is shared, not copied.
 */
public record RgbImage(int width, int height, byte[] rgb) {
    public RgbImage {
        if (width < 1 || height < 1) {
            throw new IllegalArgumentException("image size must be positive, got " + width + "x" + height);
        }
        if ((long) width * height * 3 != rgb.length) {
            throw new IllegalArgumentException(width + "x" + height + " RGB needs " + (long) width * height * 3
                    + " bytes, got " + rgb.length);
        }
    }

    /** A black image. */
    public static RgbImage black(int width, int height) {
        long n = (long) width * height * 3;
        if (n > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("image too large: " + width + "x" + height);
        }
        return new RgbImage(width, height, new byte[(int) n]);
    }

    /** Channel {@code c} of pixel (x, y), 0..255. */
    public int get(int x, int y, int c) {
        return rgb[(y * width + x) * 3 + c] & 0xff;
    }
}

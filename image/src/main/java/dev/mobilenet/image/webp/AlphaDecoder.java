package dev.mobilenet.image.webp;

/**
 * The ALPH chunk of a lossy WebP: a one-byte header (compression, filter, pre-processing), then the plane raw or
 * as a headerless VP8L stream, then libwebp's unfiltering (horizontal, vertical or gradient prediction, each row
 * from the row above, the first row from the left). Level-reduction dithering is off, as in Pillow.
 */
final class AlphaDecoder {
    private AlphaDecoder() {
    }

    static byte[] decode(byte[] b, int off, int len, int width, int height) {
        if (len <= 1) {
            throw new WebpException("empty ALPH chunk");
        }
        int h = b[off] & 0xff;
        int method = h & 3;
        int filter = (h >> 2) & 3;
        int pre = (h >> 4) & 3;
        if (method > 1 || pre > 1 || (h >> 6) != 0) {
            throw new WebpException("bad ALPH header byte 0x" + Integer.toHexString(h));
        }
        int n = width * height;
        byte[] a;
        if (method == 0) {
            if (len - 1 < n) {
                throw new WebpException("ALPH chunk of " + (len - 1) + " bytes for " + n + " pixels");
            }
            a = java.util.Arrays.copyOfRange(b, off + 1, off + 1 + n);
        } else {
            a = Vp8lDecoder.decodeAlpha(b, off + 1, len - 1, width, height);
        }
        unfilter(a, width, height, filter);
        return a;
    }

    private static void unfilter(byte[] a, int w, int h, int filter) {
        if (filter == 0) {
            return;
        }
        for (int y = 0; y < h; y++) {
            int row = y * w;
            if (y == 0 || filter == 1) {
                int pred = y == 0 ? 0 : a[row - w] & 0xff;
                for (int x = 0; x < w; x++) {
                    pred = (pred + a[row + x]) & 0xff;
                    a[row + x] = (byte) pred;
                }
            } else if (filter == 2) {
                for (int x = 0; x < w; x++) {
                    a[row + x] = (byte) (a[row + x] + a[row - w + x]);
                }
            } else {
                int top = a[row - w] & 0xff;
                int topLeft = top;
                int left = top;
                for (int x = 0; x < w; x++) {
                    top = a[row - w + x] & 0xff;
                    int g = left + top - topLeft;
                    g = g < 0 ? 0 : Math.min(g, 255);
                    left = (a[row + x] + g) & 0xff;
                    topLeft = top;
                    a[row + x] = (byte) left;
                }
            }
        }
    }
}

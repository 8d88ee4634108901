package dev.mobilenet.image.webp;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.mobilenet.testing.Hostile;

/**
 * The WebP decoder itself from hostile bytes (seeds: lossy, lossy with lossless and raw filtered alpha, lossless,
 * animated with an offset frame, four token partitions). The result is a canvas of the size it claims within the
 * pixel limit, or one line.
 */
class WebpDecoderFuzzTest {
    private static final long MAX_PIXELS = 1L << 22;

    @FuzzTest
    void decode(byte[] data) throws Exception {
        Hostile.parse(() -> {
            WebpDecoder.Image img = WebpDecoder.decode(data, MAX_PIXELS);
            long n = (long) img.width() * img.height();
            if (n > MAX_PIXELS || img.rgb().length != 3 * n || img.alpha() != null && img.alpha().length != n) {
                throw new AssertionError("decoded " + img.width() + "x" + img.height() + " with " + img.rgb().length
                        + " bytes");
            }
        });
    }
}

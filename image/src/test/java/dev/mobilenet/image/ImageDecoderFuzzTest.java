package dev.mobilenet.image;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.mobilenet.testing.Hostile;

/**
 * Each format's header reader and decoder path, through {@link ImageDecoder}, from hostile bytes (the seeds of each
 * method are that format's files). The result is an image of the size it claims within the pixel limit, or one line.
 */
class ImageDecoderFuzzTest {
    /** Small enough that a header declaring the most it may costs the fuzzing JVM (-Xmx1g) little. */
    private static final long MAX_PIXELS = 1L << 22;
    private static final ImageDecoder DECODER = new ImageDecoder(MAX_PIXELS);

    @FuzzTest
    void jpeg(byte[] data) throws Exception {
        decode(data);
    }

    @FuzzTest
    void png(byte[] data) throws Exception {
        decode(data);
    }

    @FuzzTest
    void bmp(byte[] data) throws Exception {
        decode(data);
    }

    @FuzzTest
    void gif(byte[] data) throws Exception {
        decode(data);
    }

    @FuzzTest
    void webp(byte[] data) throws Exception {
        decode(data);
    }

    private static void decode(byte[] data) throws Exception {
        Hostile.parse(() -> {
            RgbImage img = DECODER.decode(data, "fuzz");
            if ((long) img.width() * img.height() > MAX_PIXELS || img.rgb().length != img.width() * img.height() * 3) {
                throw new AssertionError("decoded " + img.width() + "x" + img.height() + " with " + img.rgb().length
                        + " bytes");
            }
        });
    }
}

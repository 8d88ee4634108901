package dev.mobilenet.image;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.mobilenet.MobileNetException;
import dev.mobilenet.testing.Hostile;

/**
 * Our own format code called directly, not through {@link ImageDecoder} (which turns any RuntimeException into an
 * error line and would hide a decoder bug): BMP/DIB and GIF decoding, the PNG chunk walk and the JPEG marker walk.
 * Each returns or throws a one-line MobileNetException. Seeds: edge cases of tools/make_format_fixtures.py.
 */
class FormatDecoderFuzzTest {
    private static final long MAX_PIXELS = 1L << 22;
    private static final SizeCheck LIMIT = (name, w, h) -> {
        if (w > MAX_PIXELS / h) {
            throw new MobileNetException(name + ": over the fuzzing pixel limit");
        }
    };

    @FuzzTest
    void bmp(byte[] data) throws Exception {
        Hostile.parse(() -> check(BmpDecoder.decode(data, "fuzz", !(data.length >= 2 && data[0] == 'B'
                && data[1] == 'M'), LIMIT)));
    }

    @FuzzTest
    void gif(byte[] data) throws Exception {
        Hostile.parse(() -> check(GifDecoder.decode(data, "fuzz", LIMIT)));
    }

    @FuzzTest
    void png(byte[] data) throws Exception {
        Hostile.parse(() -> {
            if (data.length >= 29) {
                PngChunks.check(data, "fuzz");
            }
        });
    }

    @FuzzTest
    void jpeg(byte[] data) throws Exception {
        Hostile.parse(() -> {
            try {
                JpegHeader.parse(data).colorSpace();
            } catch (IllegalArgumentException e) {
                throw new MobileNetException("fuzz: " + e.getMessage());
            }
        });
    }

    private static void check(RgbImage img) {
        if ((long) img.width() * img.height() > MAX_PIXELS) {
            throw new AssertionError("decoded " + img.width() + "x" + img.height());
        }
    }
}

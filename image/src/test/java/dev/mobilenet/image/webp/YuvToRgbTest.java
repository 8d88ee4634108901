package dev.mobilenet.image.webp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The table-driven conversion equals libwebp's {@code VP8YuvToRgb} formula (dsp/yuv.h) for every Y, U, V. */
class YuvToRgbTest {
    private static int clip8(int v) {
        return (v & ~16383) == 0 ? v >> 6 : v < 0 ? 0 : 255;
    }

    @Test
    void everyYuvTripleAsLibwebp() {
        byte[] d = new byte[3];
        long mismatches = 0;
        for (int y = 0; y < 256; y++) {
            int yy = (y * 19077) >> 8;
            for (int u = 0; u < 256; u++) {
                for (int v = 0; v < 256; v++) {
                    YuvToRgb.put(d, 0, y, u, v);
                    int r = clip8(yy + ((v * 26149) >> 8) - 14234);
                    int g = clip8(yy - ((u * 6419) >> 8) - ((v * 13320) >> 8) + 8708);
                    int b = clip8(yy + ((u * 33050) >> 8) - 17685);
                    if ((d[0] & 0xff) != r || (d[1] & 0xff) != g || (d[2] & 0xff) != b) {
                        mismatches++;
                    }
                }
            }
        }
        assertEquals(0, mismatches);
    }
}

package dev.mobilenet.image;

import dev.mobilenet.MobileNetException;

/**
 * The WebP RIFF container, checked before decoding: the RIFF size and every chunk must fit in the file
 * (TwelveMonkeys would otherwise decode a truncated lossless stream without complaint; libwebp refuses it).
 */
final class WebpHeader {
    private WebpHeader() {
    }

    static void check(byte[] b, String name) {
        if (b.length < 20) {
            throw new MobileNetException(name + ": truncated WebP (" + b.length + " bytes)");
        }
        long riff = u32(b, 4) + 8;
        if (riff > b.length) {
            throw new MobileNetException(name + ": truncated WebP (" + b.length + " bytes, the RIFF header says "
                    + riff + ")");
        }
        long pos = 12;
        while (pos + 8 <= riff) {
            long size = u32(b, (int) pos + 4);
            long end = pos + 8 + size + (size & 1);
            if (pos + 8 + size > riff) {
                throw new MobileNetException(name + ": truncated or corrupt WebP chunk at byte " + pos);
            }
            pos = end;
        }
    }

    private static long u32(byte[] b, int p) {
        return (b[p] & 0xffL) | (b[p + 1] & 0xffL) << 8 | (b[p + 2] & 0xffL) << 16 | (b[p + 3] & 0xffL) << 24;
    }
}

package dev.mobilenet.image;

import dev.mobilenet.MobileNetException;

/**
 * The BMP file and info headers, checked before decoding: the declared size against the pixel bound, and, for
 * uncompressed bitmaps, that the file holds every row (the JDK reader would otherwise fill missing rows silently,
 * where Pillow reports a truncated file).
 */
final class BmpHeader {
    /** Receives the declared size. */
    interface SizeCheck {
        void check(String name, long width, long height);
    }

    private BmpHeader() {
    }

    static void check(byte[] b, String name, SizeCheck sizeCheck) {
        if (b.length < 26) {
            throw new MobileNetException(name + ": truncated BMP (" + b.length + " bytes, no complete header)");
        }
        long offBits = u32(b, 10);
        long infoSize = u32(b, 14);
        long width;
        long height;
        int bitCount;
        long compression = 0;
        if (infoSize == 12) {
            width = u16(b, 18);
            height = u16(b, 20);
            bitCount = u16(b, 24);
        } else {
            if (b.length < 34) {
                throw new MobileNetException(name + ": truncated BMP (" + b.length + " bytes, no complete header)");
            }
            width = (int) u32(b, 18);
            height = Math.abs((long) (int) u32(b, 22));
            bitCount = u16(b, 28);
            compression = u32(b, 30);
        }
        if (width < 1 || height < 1) {
            throw new MobileNetException(name + ": BMP header declares an invalid size " + width + "x" + height);
        }
        sizeCheck.check(name, width, height);
        if ((compression == 0 || compression == 3) && bitCount > 0 && bitCount <= 32) {
            long rowBytes = (width * bitCount + 31) / 32 * 4;
            long needed = offBits + rowBytes * height;
            if (b.length < needed) {
                throw new MobileNetException(name + ": truncated BMP (" + b.length + " bytes, the header needs "
                        + needed + ")");
            }
        }
    }

    private static long u32(byte[] b, int p) {
        return (b[p] & 0xffL) | (b[p + 1] & 0xffL) << 8 | (b[p + 2] & 0xffL) << 16 | (b[p + 3] & 0xffL) << 24;
    }

    private static int u16(byte[] b, int p) {
        return (b[p] & 0xff) | (b[p + 1] & 0xff) << 8;
    }
}

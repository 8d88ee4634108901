package dev.mobilenet.image;

import dev.mobilenet.MobileNetException;

/** The PNG IHDR chunk, read before decoding to check the size and to know the sample layout. */
record PngHeader(long width, long height, int bitDepth, int colorType) {

    static PngHeader parse(byte[] b, String name) {
        if (b.length < 8 + 8 + 13) {
            throw new MobileNetException(name + ": truncated PNG (" + b.length + " bytes, no complete IHDR chunk)");
        }
        if (u32(b, 8) != 13 || b[12] != 'I' || b[13] != 'H' || b[14] != 'D' || b[15] != 'R') {
            throw new MobileNetException(name + ": corrupt PNG (the first chunk is not a 13-byte IHDR)");
        }
        return new PngHeader(u32(b, 16), u32(b, 20), b[24] & 0xff, b[25] & 0xff);
    }

    /** The big-endian unsigned 32-bit value at {@code p}: PNG's lengths, sizes and CRCs. */
    static long u32(byte[] b, int p) {
        return (b[p] & 0xffL) << 24 | (b[p + 1] & 0xffL) << 16 | (b[p + 2] & 0xffL) << 8 | (b[p + 3] & 0xffL);
    }
}

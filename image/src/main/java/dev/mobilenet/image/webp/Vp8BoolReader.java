package dev.mobilenet.image.webp;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * VP8's boolean entropy decoder (RFC 6386 section 7) over {@code data[start, end)}. The range is held minus one and
 * the value in a 64-bit window filled up to 7 bytes at a time, as libwebp holds them. Running out of bytes is not
 * an error here: the first missing byte reads as zero and sets {@link #eof}, which the caller checks at the same
 * points as libwebp (after each macroblock and each row of modes), so a truncated stream fails exactly where
 * libwebp's does. Comparisons are unsigned 32-bit, as in libwebp, which matters for streams that break the
 * coder's invariant (a first byte of 0xff).
 */
final class Vp8BoolReader {
    private static final VarHandle BIG_ENDIAN_LONG =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
    private final byte[] data;
    private final int end;
    private int pos;
    private long value;
    private int bits;
    private int range;
    boolean eof;

    Vp8BoolReader(byte[] data, int start, int end) {
        this.data = data;
        this.pos = start;
        this.end = end;
        this.range = 255 - 1;
        this.bits = -8;
        load();
    }

    private void load() {
        if (end - pos >= 8) {
            pos += 7;
            value = value << 56 | (long) BIG_ENDIAN_LONG.get(data, pos - 7) >>> 8;
            bits += 56;
        } else if (pos < end) {
            value = value << 8 | (data[pos++] & 0xff);
            bits += 8;
        } else if (!eof) {
            value <<= 8;
            bits += 8;
            eof = true;
        } else {
            bits = 0;
        }
    }

    int bit(int prob) {
        if (bits < 0) {
            load();
        }
        int r = range;
        int split = (r * prob) >>> 8;
        int v = (int) (value >>> bits);
        int bit;
        if (Integer.compareUnsigned(v, split) > 0) {
            r -= split;
            value -= (long) (split + 1) << bits;
            bit = 1;
        } else {
            r = split + 1;
            bit = 0;
        }
        int shift = 7 ^ (31 - Integer.numberOfLeadingZeros(r));
        range = (r << shift) - 1;
        bits -= shift;
        return bit;
    }

    /**
     * {@code v} or {@code -v}, by libwebp's VP8GetSigned: a bit of probability 1/2 renormalised by exactly one
     * shift, which leaves the range at 256 where {@code bit(128)} would leave 128 unshifted.
     */
    int signed(int v) {
        if (bits < 0) {
            load();
        }
        int pos = bits;
        int split = range >> 1;
        int val = (int) (value >>> pos);
        int mask = (split - val) >> 31;
        bits -= 1;
        range = (range + mask) | 1;
        value -= (long) ((split + 1) & mask) << pos;
        return (v ^ mask) - mask;
    }

    /** An unsigned {@code n}-bit literal, most significant bit first. */
    int literal(int n) {
        int v = 0;
        while (n-- > 0) {
            v |= bit(128) << n;
        }
        return v;
    }

    /** An {@code n}-bit magnitude followed by a sign bit. */
    int signedLiteral(int n) {
        int v = literal(n);
        return bit(128) == 1 ? -v : v;
    }

    boolean flag() {
        return bit(128) == 1;
    }
}

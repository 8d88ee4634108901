package dev.mobilenet.image;

import dev.mobilenet.MobileNetException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * The PNG chunk walk of Pillow 9.4's {@code PngImagePlugin}, run before ImageIO decodes the pixels so that a file
 * Pillow refuses is refused here too. Up to the first IDAT (what {@code Image.open} reads): every chunk must be
 * complete with a matching CRC and a valid type, IHDR's filter method must be 0, the short-chunk checks of sRGB,
 * pHYs, gAMA, tRNS, acTL, fcTL and fdAT apply, and the APNG sequence numbers must run 0, 1, 2... within the image.
 * After the image data (what {@code load()} reads up to IEND or the next animation frame): no CRC checks, but
 * a chunk running past the end of the file and the same chunk checks still refuse the file.
 *
 * <p>Compressed text and ICC profiles (zTXt, iTXt, iCCP) are inflated at most to Pillow's limit of 1 MiB
 * ({@code MAX_TEXT_CHUNK}, {@code ImageFile.SAFEBLOCK}) and a chunk that would inflate further is refused
 * without inflating the rest; all text together may not exceed 64 MiB ({@code MAX_TEXT_MEMORY}).
 */
final class PngChunks {
    static final int MAX_TEXT_CHUNK = 1024 * 1024;
    static final long MAX_TEXT_MEMORY = 64L * MAX_TEXT_CHUNK;

    private final byte[] b;
    private final String name;
    private byte[] inflated;
    private int colorType = -1;
    private long width;
    private long height;
    private long textMemory;
    private Long seq;
    private Long frames;
    private boolean frameBeforeData;
    private boolean afterData;

    private PngChunks(byte[] b, String name) {
        this.b = b;
        this.name = name;
    }

    /**
     * Refuses what Pillow refuses; returns the bytes ImageIO should decode: {@code b} itself, or a copy whose IHDR
     * compression method is 0 and interlace method at most 1 (Pillow ignores the first and treats any non-zero
     * second as Adam7; ImageIO refuses both).
     */
    static byte[] check(byte[] b, String name) {
        PngChunks walk = new PngChunks(b, name);
        walk.run();
        byte[] out = walk.colorType == 3 ? walk.paletteStream() : b;
        if ((out[26] & 0xff) != 0 || (out[28] & 0xff) > 1) {
            out = out == b ? b.clone() : out;
            out[26] = 0;
            out[28] = (byte) Math.min(1, out[28] & 0xff);
        }
        return out;
    }

    private static final byte[] IEND = {0, 0, 0, 0, 'I', 'E', 'N', 'D', (byte) 0xae, 0x42, 0x60, (byte) 0x82};

    /**
     * A palette image as ImageIO needs it: ImageIO reads every chunk up to IEND for a palette image even without
     * metadata and fails on a missing IEND or a damaged chunk after the image data, which Pillow never reads.
     * Returns the signature, IHDR, PLTE, the run of IDAT chunks (a last one cut by the end of the file shortened to
     * what is there: Pillow decodes it when its rows are complete) and an IEND.
     */
    private byte[] paletteStream() {
        int ihdr = -1;
        int plte = -1;
        int pos = 8;
        while (pos + 8 <= b.length) {
            String type = type(pos + 4);
            if ("IDAT".equals(type)) {
                break;
            }
            long end = pos + 12 + u32(pos);
            if (type == null || end > b.length) {
                return b;
            }
            if (type.equals("IHDR") && ihdr < 0) {
                ihdr = pos;
            } else if (type.equals("PLTE") && plte < 0) {
                plte = pos;
            }
            pos = (int) end;
        }
        int idat = pos;
        int cut = -1;
        while (pos + 8 <= b.length && "IDAT".equals(type(pos + 4))) {
            long end = pos + 12 + u32(pos);
            if (end > b.length) {
                cut = pos;
                break;
            }
            pos = (int) end;
        }
        if (ihdr != 8 || (pos == idat && cut < 0)) {
            return b;
        }
        int ihdrLen = 25;
        int plteLen = plte < 0 ? 0 : 12 + (int) u32(plte);
        int tail = cut < 0 ? 0 : 12 + b.length - (cut + 8);
        ByteBuffer out = ByteBuffer.allocate(8 + ihdrLen + plteLen + (pos - idat) + tail + IEND.length);
        out.put(b, 0, 8 + ihdrLen);
        if (plte >= 0) {
            out.put(b, plte, plteLen);
        }
        out.put(b, idat, pos - idat);
        if (cut >= 0) {
            out.putInt(b.length - (cut + 8)).put(b, cut + 4, b.length - (cut + 4)).putInt(0);
        }
        return out.put(IEND).array();
    }

    private void run() {
        int pos = 8;
        while (true) {
            if (pos + 8 > b.length) {
                throw fail("truncated PNG (no image data chunk before the end)");
            }
            long length = u32(pos);
            String type = type(pos + 4);
            if (type == null) {
                throw fail("broken PNG file (invalid chunk type at byte " + (pos + 4) + ")");
            }
            int data = pos + 8;
            if (type.equals("IDAT") || type.equals("IEND")) {
                break;
            }
            if (type.equals("fdAT")) {
                sequence(data, length, "fdAT");
                break;
            }
            if (data + length > b.length) {
                throw fail("truncated PNG " + type + " chunk at byte " + pos);
            }
            chunk(type, data, (int) length);
            if (data + length + 4 > b.length) {
                throw fail("broken PNG file (incomplete checksum in " + type + ")");
            }
            CRC32 crc = new CRC32();
            crc.update(b, pos + 4, 4 + (int) length);
            if (crc.getValue() != u32(data + (int) length)) {
                throw fail("broken PNG file (bad checksum in " + type + " chunk at byte " + pos + ")");
            }
            pos = data + (int) length + 4;
        }
        if (frames != null && !frameBeforeData) {
            frames = frames + 1;
        }
        boolean animated = frames != null && frames > 1;
        afterData = true;
        long next = pos + 12 + u32(pos);
        while (next + 8 <= b.length) {
            int p = (int) next;
            long length = u32(p);
            String type = type(p + 4);
            if (type == null || type.equals("IEND") || (type.equals("fcTL") && animated)) {
                return;
            }
            if (type.equals("fdAT")) {
                sequence(p + 8, length, "fdAT");
            }
            if (p + 8 + length > b.length) {
                if (type.equals("IDAT")) {
                    return;
                }
                throw fail("truncated PNG " + type + " chunk at byte " + p + " (after the image data)");
            }
            if (!type.equals("IDAT") && !type.equals("fdAT")) {
                chunk(type, p + 8, (int) length);
            }
            next = p + 12 + length;
        }
    }

    /** What Pillow's chunk handler for {@code type} refuses. */
    private void chunk(String type, int p, int n) {
        switch (type) {
            case "IHDR" -> {
                if (n < 13) {
                    throw fail("truncated IHDR chunk");
                }
                width = u32(p);
                height = u32(p + 4);
                colorType = b[p + 9] & 0xff;
                if (b[p + 11] != 0) {
                    throw fail("unknown PNG filter method " + (b[p + 11] & 0xff));
                }
            }
            case "sRGB" -> atLeast(type, n, 1);
            case "pHYs" -> atLeast(type, n, 9);
            case "gAMA" -> atLeast(type, n, 4);
            case "tRNS" -> {
                if (colorType == 0) {
                    atLeast(type, n, 2);
                } else if (colorType == 2) {
                    atLeast(type, n, 6);
                }
            }
            case "tEXt" -> {
                int nul = indexOf(p, p + n);
                if (nul > p) {
                    addText(p + n - nul - 1);
                }
            }
            case "zTXt" -> {
                int nul = indexOf(p, p + n);
                int v = nul < 0 ? p + n : nul + 1;
                if (v < p + n && b[v] != 0) {
                    throw fail("unknown compression method " + (b[v] & 0xff) + " in zTXt chunk");
                }
                int size = v < p + n ? inflate(v + 1, p + n, "zTXt") : 0;
                if (nul != p && size > 0) {
                    addText(size);
                }
            }
            case "iTXt" -> iTxt(p, p + n);
            case "iCCP" -> {
                if (n == 0) {
                    throw fail("empty iCCP chunk");
                }
                int nul = indexOf(p, p + n);
                int method = nul < 0 ? b[p + n - 1] & 0xff : 0;
                if (method != 0) {
                    throw fail("unknown compression method " + method + " in iCCP chunk");
                }
                inflate(Math.min(p + n, (nul < 0 ? p - 1 : nul) + 2), p + n, "iCCP");
            }
            case "acTL" -> {
                atLeast(type, n, 8);
                long count = u32(p);
                if (frames != null) {
                    frames = null;
                } else if (count != 0 && count <= 0x80000000L) {
                    frames = count;
                }
            }
            case "fcTL" -> {
                atLeast(type, n, 26);
                sequence(p, n, "fcTL");
                long w = u32(p + 4);
                long h = u32(p + 8);
                long x = u32(p + 12);
                long y = u32(p + 16);
                if (x + w > width || y + h > height) {
                    throw fail("APNG contains invalid frames");
                }
                if (!afterData) {
                    if (x != 0 || y != 0 || w != width || h != height) {
                        throw fail("APNG whose first frame is a part of the image (not supported)");
                    }
                    frameBeforeData = true;
                }
            }
            default -> {
            }
        }
    }

    /** The sequence number of an fcTL or fdAT chunk must follow the previous one; the first fcTL is 0. */
    private void sequence(int p, long n, String type) {
        if (n < 4) {
            throw fail("APNG contains truncated " + type + " chunk");
        }
        if (p + 4 > b.length) {
            throw fail("truncated PNG " + type + " chunk");
        }
        long s = u32(p);
        if ((seq == null && (type.equals("fdAT") || s != 0)) || (seq != null && seq != s - 1)) {
            throw fail("APNG contains frame sequence errors");
        }
        seq = s;
    }

    private void iTxt(int p, int end) {
        int k = indexOf(p, end);
        if (k < 0 || end - (k + 1) < 2) {
            return;
        }
        int flag = b[k + 1] & 0xff;
        int method = b[k + 2] & 0xff;
        int lang = indexOf(k + 3, end);
        int tk = lang < 0 ? -1 : indexOf(lang + 1, end);
        if (tk < 0) {
            return;
        }
        byte[] text;
        if (flag != 0) {
            if (method != 0) {
                return;
            }
            int size = inflate(tk + 1, end, "iTXt");
            if (size < 0) {
                return;
            }
            text = java.util.Arrays.copyOf(inflated, size);
        } else {
            text = java.util.Arrays.copyOfRange(b, tk + 1, end);
        }
        try {
            utf8(java.util.Arrays.copyOfRange(b, k + 3, lang));
            utf8(java.util.Arrays.copyOfRange(b, lang + 1, tk));
            String v = utf8(text);
            addText(v.codePointCount(0, v.length()));
        } catch (CharacterCodingException e) {
            return;
        }
    }

    private static String utf8(byte[] bytes) throws CharacterCodingException {
        return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
    }

    /**
     * Python's {@code zlib.decompressobj().decompress(data, MAX_TEXT_CHUNK)}: the inflated size, -1 for a corrupt
     * stream (Pillow drops it); a stream that would give more than the limit is refused.
     */
    private int inflate(int from, int to, String type) {
        if (inflated == null) {
            inflated = new byte[MAX_TEXT_CHUNK];
        }
        Inflater inf = new Inflater();
        try {
            inf.setInput(b, from, to - from);
            int n = 0;
            while (n < inflated.length && !inf.finished() && !inf.needsInput() && !inf.needsDictionary()) {
                n += inf.inflate(inflated, n, inflated.length - n);
            }
            if (inf.needsDictionary()) {
                return -1;
            }
            if (n == inflated.length && !inf.finished() && inf.getRemaining() > 0) {
                throw fail("decompressed data of the " + type + " chunk exceeds Pillow's limit of " + MAX_TEXT_CHUNK
                        + " bytes (possible decompression bomb)");
            }
            return n;
        } catch (DataFormatException e) {
            return -1;
        } finally {
            inf.end();
        }
    }

    private void addText(long chars) {
        textMemory += chars;
        if (textMemory > MAX_TEXT_MEMORY) {
            throw fail("too much memory used in text chunks (over Pillow's " + MAX_TEXT_MEMORY + " bytes)");
        }
    }

    private void atLeast(String type, int n, int min) {
        if (n < min) {
            throw fail("truncated " + type + " chunk (" + n + " bytes)");
        }
    }

    private int indexOf(int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] == 0) {
                return i;
            }
        }
        return -1;
    }

    /** The chunk type at {@code p} if it is four ASCII letters, digits or underscores (Pillow's {@code is_cid}). */
    private String type(int p) {
        for (int i = p; i < p + 4; i++) {
            int c = b[i];
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_')) {
                return null;
            }
        }
        return new String(b, p, 4, StandardCharsets.US_ASCII);
    }

    private long u32(int p) {
        return PngHeader.u32(b, p);
    }

    private MobileNetException fail(String msg) {
        return new MobileNetException(name + ": " + msg);
    }
}

package dev.mobilenet.image;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * The image data of a PNG inflated as Pillow 9.4's zip decoder inflates it, for the files ImageIO refuses on a
 * zlib error: Pillow feeds the IDAT data in pieces (one chunk at a time, at most 64 KiB), inflates one scanline at
 * a time and stops as soon as it has every scanline, or when the zlib stream ends at a scanline boundary (the
 * rows not reached stay zero). So a bad checksum or corrupt data after the last scanline goes unnoticed when
 * zlib does not reach it while filling that scanline, and a stream that ends early gives a partly black image.
 * Where Pillow reads the file, {@link #asPillowReads} rebuilds it with the same scanlines in a clean zlib stream
 * for ImageIO; where Pillow refuses it, it returns null. Only called after ImageIO has failed, so the cost of a
 * second inflate falls on damaged files alone.
 */
final class PngInflate {
    private static final int PIECE = 65536;
    private static final int[][] ADAM7 = {{0, 0, 8, 8}, {4, 0, 8, 8}, {0, 4, 4, 8}, {2, 0, 4, 4}, {0, 2, 2, 4},
            {1, 0, 2, 2}, {0, 1, 1, 2}};

    private PngInflate() {
    }

    /** A clean PNG with the scanlines Pillow would decode from {@code b}, or null when Pillow refuses it. */
    static byte[] asPillowReads(byte[] b) {
        if (b.length < 33) {
            return null;
        }
        int width = b[16] << 24 | (b[17] & 0xff) << 16 | (b[18] & 0xff) << 8 | (b[19] & 0xff);
        int height = b[20] << 24 | (b[21] & 0xff) << 16 | (b[22] & 0xff) << 8 | (b[23] & 0xff);
        int depth = b[24] & 0xff;
        int colorType = b[25] & 0xff;
        boolean interlaced = b[28] != 0;
        int channels = switch (colorType) {
            case 2 -> 3;
            case 4 -> 2;
            case 6 -> 4;
            default -> 1;
        };
        if (width <= 0 || height <= 0) {
            return null;
        }
        long total = 0;
        int[] rowLen = new int[interlaced ? 7 : 1];
        int[] rows = new int[rowLen.length];
        for (int p = 0; p < rowLen.length; p++) {
            long w = interlaced ? (width - ADAM7[p][0] + ADAM7[p][2] - 1L) / ADAM7[p][2] : width;
            long h = interlaced ? (height - ADAM7[p][1] + ADAM7[p][3] - 1L) / ADAM7[p][3] : height;
            if (w > 0 && h > 0) {
                rowLen[p] = (int) ((w * channels * depth + 7) / 8) + 1;
                rows[p] = (int) h;
                total += (long) rowLen[p] * h;
            }
        }
        if (total > Integer.MAX_VALUE - 64) {
            return null;
        }
        byte[] raw = inflate(b, (int) total, rowLen, rows);
        return raw == null ? null : rebuild(b, raw);
    }

    /**
     * The {@code total} bytes of scanlines as Pillow inflates them (zeros where the stream ended early), or null
     * where Pillow refuses the data. The buffer grows with what is inflated, not with what the header claims.
     */
    private static byte[] inflate(byte[] b, int total, int[] rowLen, int[] rows) {
        Inflater z = new Inflater();
        byte[] raw = new byte[Math.min(total, 1 << 16)];
        try {
            int pass = 0;
            int row = 0;
            int done = 0;
            int out = 0;
            while (pass < rows.length && rows[pass] == 0) {
                pass++;
            }
            int chunk = firstIdat(b);
            while (chunk >= 0) {
                int len = (int) Math.min(PngHeader.u32(b, chunk), Integer.MAX_VALUE);
                int data = chunk + 8;
                int end = (int) Math.min((long) data + len, b.length);
                for (int p = data; p < end; p += PIECE) {
                    z.setInput(b, p, Math.min(PIECE, end - p));
                    while (z.getRemaining() > 0) {
                        int want = rowLen[pass] - done;
                        if (out + rowLen[pass] > raw.length) {
                            raw = Arrays.copyOf(raw, (int) Math.min(total, Math.max(2L * raw.length,
                                    out + rowLen[pass])));
                        }
                        int n = z.inflate(raw, out + done, want);
                        done += n;
                        if (n < want) {
                            if (z.finished()) {
                                // Pillow only stops at a stream end met while completing a scanline
                                return null;
                            }
                            break;
                        }
                        out += rowLen[pass];
                        done = 0;
                        if (++row == rows[pass]) {
                            row = 0;
                            do {
                                pass++;
                            } while (pass < rows.length && rows[pass] == 0);
                        }
                        if (pass == rows.length || z.finished()) {
                            return raw.length == total ? raw : Arrays.copyOf(raw, total);
                        }
                    }
                }
                if (end == b.length) {
                    return null;
                }
                int next = end + 4;
                chunk = next + 8 <= b.length && b[next + 4] == 'I' && b[next + 5] == 'D' && b[next + 6] == 'A'
                        && b[next + 7] == 'T' ? next : -1;
            }
            return null;
        } catch (DataFormatException e) {
            return null;
        } finally {
            z.end();
        }
    }

    private static int firstIdat(byte[] b) {
        long pos = 8;
        while (pos + 8 <= b.length) {
            int p = (int) pos;
            if (b[p + 4] == 'I' && b[p + 5] == 'D' && b[p + 6] == 'A' && b[p + 7] == 'T') {
                return p;
            }
            pos += 12 + PngHeader.u32(b, p);
        }
        return -1;
    }

    /** Signature, IHDR, the PLTE if any (before the image data), one IDAT with {@code raw} and IEND. */
    private static byte[] rebuild(byte[] b, byte[] raw) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length / 2 + 1024);
        out.write(b, 0, 33);
        long pos = 33;
        while (pos + 8 <= b.length) {
            int p = (int) pos;
            long end = pos + 12 + PngHeader.u32(b, p);
            if (b[p + 4] == 'I' && b[p + 5] == 'D' && b[p + 6] == 'A' && b[p + 7] == 'T' || end > b.length) {
                break;
            }
            if (b[p + 4] == 'P' && b[p + 5] == 'L' && b[p + 6] == 'T' && b[p + 7] == 'E') {
                out.write(b, p, (int) (end - pos));
            }
            pos = end;
        }
        Deflater d = new Deflater(1);
        byte[] z;
        try {
            d.setInput(raw);
            d.finish();
            ByteArrayOutputStream zs = new ByteArrayOutputStream(raw.length / 4 + 64);
            byte[] buf = new byte[65536];
            while (!d.finished()) {
                zs.write(buf, 0, d.deflate(buf));
            }
            z = zs.toByteArray();
        } finally {
            d.end();
        }
        writeChunk(out, "IDAT", z);
        writeChunk(out, "IEND", new byte[0]);
        byte[] png = out.toByteArray();
        png[26] = 0;
        png[28] = (byte) Math.min(1, png[28] & 0xff);
        return png;
    }

    private static void writeChunk(ByteArrayOutputStream out, String type, byte[] data) {
        ByteBuffer head = ByteBuffer.allocate(8).putInt(data.length);
        for (int i = 0; i < 4; i++) {
            head.put((byte) type.charAt(i));
        }
        out.write(head.array(), 0, 8);
        out.write(data, 0, data.length);
        CRC32 crc = new CRC32();
        crc.update(head.array(), 4, 4);
        crc.update(data);
        out.write(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array(), 0, 4);
    }
}

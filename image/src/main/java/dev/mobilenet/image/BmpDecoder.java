package dev.mobilenet.image;

import dev.mobilenet.MobileNetException;

/**
 * BMP and headerless DIB, decoded as Pillow 9.4's {@code BmpImagePlugin} reads them and {@code convert('RGB')}
 * converts them: the same accepted header sizes (12, 40, 64, 108, 124), pixel depths (1, 4, 8, 16, 24, 32),
 * compressions (none, RLE8, RLE4, the listed bit-field layouts) and refusals; a palette of grey ramps read as
 * Pillow's modes {@code 1}/{@code L} (with their raw modes, even where that misreads 4-bit data); short palettes
 * padded with Pillow's grey ramp (index i → (i, i, i)); skipped RLE pixels are index 0.
 *
 * <p>Two deliberate differences from 9.4, following later Pillow fixes: an RLE4 absolute run of an odd number of
 * pixels occupies (n + 1) / 2 bytes (9.4 reads n / 2 bytes and loses its place), and an RLE delta escape takes
 * its offsets from the two bytes after it (9.4 skips them and reads the next two).
 */
final class BmpDecoder {
    private static final int RAW = 0;
    private static final int RLE8 = 1;
    private static final int RLE4 = 2;
    private static final int BITFIELDS = 3;

    /** How Pillow's unpacker reads one stored pixel. */
    private enum RawMode {
        ONE(1), P1(1), P4(4), P8(8), L(8), BGR15(16), BGR16(16), BGR(24),
        BGRX(32), XBGR(32), ABGR(32), RGBA(32), BGRA(32);

        final int bits;

        RawMode(int bits) {
            this.bits = bits;
        }
    }

    /** Pillow's image mode after opening. */
    private enum Mode { ONE, L, P, RGB }

    private final byte[] b;
    private final String name;

    private BmpDecoder(byte[] b, String name) {
        this.b = b;
        this.name = name;
    }

    /**
     * Decodes a BMP file ({@code dib == false}, starting with "BM") or a headerless DIB (starting with the info
     * header, as Pillow's {@code DibImagePlugin} reads it).
     */
    static RgbImage decode(byte[] bytes, String name, boolean dib, SizeCheck sizeCheck) {
        return new BmpDecoder(bytes, name).run(dib, sizeCheck);
    }

    /** Pillow's {@code _dib_accept}: the first four bytes are one of the info header sizes it reads. */
    static boolean looksLikeDib(byte[] head) {
        if (head.length < 4) {
            return false;
        }
        long size = u32(head, 0);
        return size == 12 || size == 40 || size == 64 || size == 108 || size == 124;
    }

    private RgbImage run(boolean dib, SizeCheck sizeCheck) {
        long offset = 0;
        int pos = 0;
        if (!dib) {
            need(14, "file header");
            offset = u32(b, 10);
            pos = 14;
        }
        need(pos + 4L, "info header");
        long headerSize = u32(b, pos);
        if (headerSize < 4) {
            throw fail("unsupported BMP header type (" + headerSize + ")");
        }
        int h0 = pos + 4;
        need(h0 + headerSize - 4, "info header of " + headerSize + " bytes");
        long width;
        long height;
        int bits;
        long compression;
        long colors;
        int paletteEntryBytes;
        boolean topDown = false;
        long[] masks = null;
        int filePos = (int) (h0 + headerSize - 4);
        if (headerSize == 12) {
            width = u16(b, h0);
            height = u16(b, h0 + 2);
            bits = u16(b, h0 + 6);
            compression = RAW;
            colors = 0;
            paletteEntryBytes = 3;
        } else if (headerSize == 40 || headerSize == 64 || headerSize == 108 || headerSize == 124) {
            topDown = (b[h0 + 7] & 0xff) == 0xFF;
            width = u32(b, h0);
            height = topDown ? (1L << 32) - u32(b, h0 + 4) : u32(b, h0 + 4);
            bits = u16(b, h0 + 10);
            compression = u32(b, h0 + 12);
            colors = u32(b, h0 + 28);
            paletteEntryBytes = 4;
            if (compression == BITFIELDS) {
                masks = new long[4];
                if (headerSize - 4 >= 52) {
                    for (int i = 0; i < 4; i++) {
                        masks[i] = u32(b, h0 + 36 + 4 * i);
                    }
                } else {
                    need(filePos + 12L, "bit-field masks");
                    for (int i = 0; i < 3; i++) {
                        masks[i] = u32(b, filePos + 4 * i);
                    }
                    filePos += 12;
                }
            }
        } else {
            throw fail("unsupported BMP header type (" + headerSize + ")");
        }
        if (colors == 0) {
            colors = bits < 62 ? 1L << bits : Long.MAX_VALUE;
        }
        if (!dib && offset == 14 + headerSize && bits <= 8) {
            offset += 4 * colors;
        }
        Mode mode;
        RawMode raw;
        switch (bits) {
            case 1 -> { mode = Mode.P; raw = RawMode.P1; }
            case 4 -> { mode = Mode.P; raw = RawMode.P4; }
            case 8 -> { mode = Mode.P; raw = RawMode.P8; }
            case 16 -> { mode = Mode.RGB; raw = RawMode.BGR15; }
            case 24 -> { mode = Mode.RGB; raw = RawMode.BGR; }
            case 32 -> { mode = Mode.RGB; raw = RawMode.BGRX; }
            default -> throw fail("unsupported BMP pixel depth (" + bits + ")");
        }
        boolean rle = false;
        if (compression == BITFIELDS) {
            raw = bitfields(bits, masks);
        } else if (compression == RLE8 || compression == RLE4) {
            rle = true;
        } else if (compression != RAW) {
            throw fail("unsupported BMP compression (" + compression + ")");
        }
        int[] palette = null;
        if (mode == Mode.P) {
            if (colors <= 0 || colors > 65536) {
                throw fail("unsupported BMP palette size (" + colors + ")");
            }
            int want = (int) (paletteEntryBytes * colors);
            int got = Math.max(0, Math.min(want, b.length - filePos));
            boolean grey = true;
            for (int i = 0; i < colors && grey; i++) {
                int v = colors == 2 ? (i == 0 ? 0 : 255) : i & 0xff;
                int p = filePos + i * paletteEntryBytes;
                grey = i * paletteEntryBytes + 3 <= got && (b[p] & 0xff) == v && (b[p + 1] & 0xff) == v
                        && (b[p + 2] & 0xff) == v;
            }
            if (grey) {
                mode = colors == 2 ? Mode.ONE : Mode.L;
                raw = colors == 2 ? RawMode.ONE : RawMode.L;
            } else {
                int entries = got * 8 / (paletteEntryBytes * 8);
                if (entries > 256) {
                    throw fail("invalid BMP palette size (" + entries + " colours, Pillow takes at most 256)");
                }
                palette = greyRamp();
                for (int i = 0; i < entries; i++) {
                    int p = filePos + i * paletteEntryBytes;
                    palette[i] = (b[p + 2] & 0xff) << 16 | (b[p + 1] & 0xff) << 8 | (b[p] & 0xff);
                }
            }
            filePos += got;
        }
        if (width < 1 || height < 1) {
            throw fail("BMP header declares an invalid size " + width + "x" + height);
        }
        sizeCheck.check(name, width, height);
        long start = offset != 0 ? offset : filePos;
        int w = (int) width;
        int h = (int) height;
        RgbImage out = RgbImage.black(w, h);
        if (rle) {
            if (mode != Mode.P && mode != Mode.L) {
                throw fail("RLE compression with a " + bits + "-bit " + (mode == Mode.ONE ? "black-and-white"
                        : "RGB") + " image (Pillow has no raw mode for it)");
            }
            byte[] indices = rleIndices(start, w, h, compression == RLE4);
            for (int y = 0; y < h; y++) {
                int row = topDown ? y : h - 1 - y;
                for (int x = 0; x < w; x++) {
                    put(out.rgb(), (row * w + x) * 3, mode, palette, indices[y * w + x] & 0xff);
                }
            }
        } else {
            unpackRows(out.rgb(), start, w, h, bits, raw, mode, palette, topDown);
        }
        return out;
    }

    /**
     * Pillow's raw decoder: row y starts at {@code start + y * stride} and is unpacked by {@code raw}, which may read
     * past the stride (a 4-bit grey palette read as 8-bit {@code L}: Pillow 9.4's decoder then steps back). Where
     * Pillow memory-maps the file instead (8-bit {@code P} or {@code L} data whose rows, padding included, all fit in
     * the file, as {@code Image.open(path)} does), a row that runs past the end reads zeros.
     */
    private void unpackRows(byte[] rgb, long start, int w, int h, int bits, RawMode raw, Mode mode, int[] palette,
                            boolean topDown) {
        long stride = (((long) w * bits + 31) >> 3) & ~3L;
        long rowBytes = ((long) w * raw.bits + 7) / 8;
        long end = start + (h - 1) * stride + rowBytes;
        boolean mapped = (raw == RawMode.P8 || raw == RawMode.L) && start + h * stride <= b.length;
        if (!mapped && (start > b.length || end > b.length)) {
            throw fail("truncated BMP (" + b.length + " bytes, the pixel data needs " + end + ")");
        }
        for (int y = 0; y < h; y++) {
            int p = (int) (start + y * stride);
            int o = (topDown ? y : h - 1 - y) * w * 3;
            for (int x = 0; x < w; x++, o += 3) {
                switch (raw) {
                    case ONE -> put(rgb, o, mode, palette, (b[p + (x >> 3)] >> (7 - (x & 7)) & 1) * 255);
                    case P1 -> put(rgb, o, mode, palette, b[p + (x >> 3)] >> (7 - (x & 7)) & 1);
                    case P4 -> put(rgb, o, mode, palette, (b[p + (x >> 1)] & 0xff) >> ((x & 1) == 0 ? 4 : 0) & 15);
                    case P8, L -> put(rgb, o, mode, palette, p + x < b.length ? b[p + x] & 0xff : 0);
                    case BGR15, BGR16 -> {
                        int v = (b[p + 2 * x] & 0xff) | (b[p + 2 * x + 1] & 0xff) << 8;
                        boolean six = raw == RawMode.BGR16;
                        rgb[o] = (byte) ((v >> (six ? 11 : 10) & 31) * 255 / 31);
                        rgb[o + 1] = (byte) (six ? (v >> 5 & 63) * 255 / 63 : (v >> 5 & 31) * 255 / 31);
                        rgb[o + 2] = (byte) ((v & 31) * 255 / 31);
                    }
                    case BGR -> setRgb(rgb, o, p + 3 * x, 2, 1, 0);
                    case BGRX, BGRA -> setRgb(rgb, o, p + 4 * x, 2, 1, 0);
                    case XBGR, ABGR -> setRgb(rgb, o, p + 4 * x, 3, 2, 1);
                    case RGBA -> setRgb(rgb, o, p + 4 * x, 0, 1, 2);
                    default -> throw new IllegalStateException(raw.toString());
                }
            }
        }
    }

    private void setRgb(byte[] rgb, int o, int p, int r, int g, int bl) {
        rgb[o] = b[p + r];
        rgb[o + 1] = b[p + g];
        rgb[o + 2] = b[p + bl];
    }

    /** One 8-bit sample of mode P (an index), L (a grey level) or 1 (0 or 255) as RGB. */
    private static void put(byte[] rgb, int o, Mode mode, int[] palette, int v) {
        int c = mode == Mode.P ? palette[v] : v * 0x010101;
        rgb[o] = (byte) (c >> 16);
        rgb[o + 1] = (byte) (c >> 8);
        rgb[o + 2] = (byte) c;
    }

    /**
     * Pillow's {@code BmpRleDecoder}: indices in file row order (bottom-up unless the height is negative), with the
     * later fixes for odd RLE4 absolute runs and delta escapes. Fails as Pillow does when fewer than width x height
     * pixels come out.
     */
    private byte[] rleIndices(long start, int w, int h, boolean rle4) {
        long dest = (long) w * h;
        byte[] data = new byte[(int) dest];
        long len = 0;
        long x = 0;
        long p = start;
        while (len < dest) {
            if (p + 2 > b.length) {
                break;
            }
            int num = b[(int) p] & 0xff;
            int arg = b[(int) p + 1] & 0xff;
            p += 2;
            if (num != 0) {
                if (x + num > w) {
                    num = (int) Math.max(0, w - x);
                }
                for (int i = 0; i < num; i++) {
                    int v = rle4 ? ((i & 1) == 0 ? arg >> 4 : arg & 15) : arg;
                    if (len + i < dest) {
                        data[(int) (len + i)] = (byte) v;
                    }
                }
                len += num;
                x += num;
            } else if (arg == 0) {
                len = (len + w - 1) / w * w;
                x = 0;
            } else if (arg == 1) {
                break;
            } else if (arg == 2) {
                if (p + 2 > b.length) {
                    break;
                }
                int right = b[(int) p] & 0xff;
                int up = b[(int) p + 1] & 0xff;
                p += 2;
                len += right + (long) up * w;
                x = len % w;
            } else {
                int count = rle4 ? (arg + 1) / 2 : arg;
                int got = (int) Math.max(0, Math.min(count, b.length - p));
                for (int i = 0; i < got; i++) {
                    int v = b[(int) (p + i)] & 0xff;
                    if (rle4) {
                        set(data, len + 2L * i, v >> 4);
                        if (2 * i + 1 < arg) {
                            set(data, len + 2L * i + 1, v & 15);
                        }
                    } else {
                        set(data, len + i, v);
                    }
                }
                len += rle4 ? Math.min(arg, 2L * got) : got;
                p += got;
                if (got < count) {
                    break;
                }
                x += arg;
                if ((p & 1) != 0) {
                    p++;
                }
            }
        }
        if (len < dest) {
            throw fail("RLE data ends after " + len + " of " + dest + " pixels (Pillow: not enough image data)");
        }
        return data;
    }

    private static void set(byte[] data, long i, int v) {
        if (i < data.length) {
            data[(int) i] = (byte) v;
        }
    }

    /** Pillow's table of the bit-field layouts it reads; anything else is refused. */
    private RawMode bitfields(int bits, long[] m) {
        if (bits == 32) {
            if (m[0] == 0xFF0000 && m[1] == 0xFF00 && m[2] == 0xFF && m[3] == 0) {
                return RawMode.BGRX;
            }
            if (m[0] == 0xFF000000L && m[1] == 0xFF0000 && m[2] == 0xFF00 && m[3] == 0) {
                return RawMode.XBGR;
            }
            if (m[0] == 0xFF000000L && m[1] == 0xFF0000 && m[2] == 0xFF00 && m[3] == 0xFF) {
                return RawMode.ABGR;
            }
            if (m[0] == 0xFF && m[1] == 0xFF00 && m[2] == 0xFF0000 && m[3] == 0xFF000000L) {
                return RawMode.RGBA;
            }
            if (m[0] == 0xFF0000 && m[1] == 0xFF00 && m[2] == 0xFF && m[3] == 0xFF000000L) {
                return RawMode.BGRA;
            }
            if (m[0] == 0 && m[1] == 0 && m[2] == 0 && m[3] == 0) {
                return RawMode.BGRA;
            }
        } else if (bits == 24) {
            if (m[0] == 0xFF0000 && m[1] == 0xFF00 && m[2] == 0xFF) {
                return RawMode.BGR;
            }
        } else if (bits == 16) {
            if (m[0] == 0xF800 && m[1] == 0x7E0 && m[2] == 0x1F) {
                return RawMode.BGR16;
            }
            if (m[0] == 0x7C00 && m[1] == 0x3E0 && m[2] == 0x1F) {
                return RawMode.BGR15;
            }
        }
        throw fail("unsupported BMP bitfields layout (" + bits + " bits, masks " + hex(m[0]) + " " + hex(m[1]) + " "
                + hex(m[2]) + " " + hex(m[3]) + ")");
    }

    private static String hex(long v) {
        return "0x" + Long.toHexString(v).toUpperCase(java.util.Locale.ROOT);
    }

    private static int[] greyRamp() {
        int[] p = new int[256];
        for (int i = 0; i < 256; i++) {
            p[i] = i * 0x010101;
        }
        return p;
    }

    private void need(long end, String what) {
        if (end > b.length) {
            throw fail("truncated BMP (" + b.length + " bytes, the " + what + " needs " + end + ")");
        }
    }

    private MobileNetException fail(String msg) {
        return new MobileNetException(name + ": " + msg);
    }

    static long u32(byte[] b, int p) {
        return (b[p] & 0xffL) | (b[p + 1] & 0xffL) << 8 | (b[p + 2] & 0xffL) << 16 | (b[p + 3] & 0xffL) << 24;
    }

    static int u16(byte[] b, int p) {
        return (b[p] & 0xff) | (b[p + 1] & 0xff) << 8;
    }
}

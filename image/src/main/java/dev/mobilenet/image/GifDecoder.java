package dev.mobilenet.image;

import dev.mobilenet.MobileNetException;

/**
 * The first frame of a GIF as Pillow 9.4's {@code GifImagePlugin} opens it and {@code convert('RGB')} converts it:
 * the logical screen (enlarged when the frame lies outside it) filled with the transparent index, or index 0, and
 * the frame's pixels decoded by Pillow's LZW decoder ({@code GifDecode.c}), which accepts any minimum code size
 * from 0 to 12, not only the 2 to 8 of the GIF specification. The palette is the local one, else the global one
 * (also when the local one is the identity grey ramp, which Pillow drops); without a palette, or with an identity
 * global one only, the frame is Pillow's mode {@code L} (grey = index);
 * indices beyond a short palette are grey, as Pillow pads palettes. A stream that ends before the frame is
 * complete is refused as truncated, as Pillow refuses it.
 */
final class GifDecoder {
    private static final int TABLE = 4096;
    private static final int MAX_CODE_BITS = 12;

    private final byte[] b;
    private final String name;
    private int pos;

    private GifDecoder(byte[] b, String name) {
        this.b = b;
        this.name = name;
    }

    static RgbImage decode(byte[] bytes, String name, SizeCheck sizeCheck) {
        return new GifDecoder(bytes, name).run(sizeCheck);
    }

    private RgbImage run(SizeCheck sizeCheck) {
        if (b.length < 13) {
            throw fail("truncated GIF (" + b.length + " bytes, no complete screen descriptor)");
        }
        long width = u16(6);
        long height = u16(8);
        int flags = b[10] & 0xff;
        pos = 13;
        byte[] global = null;
        if ((flags & 128) != 0) {
            byte[] p = read(3 << ((flags & 7) + 1));
            if (paletteNeeded(p)) {
                global = p;
            }
        }
        int first = read1();
        if (first < 0 || first == ';') {
            throw fail("GIF without an image");
        }
        Integer transparency = null;
        byte[] local = null;
        boolean localIsGrey = false;
        int x0 = 0;
        int y0 = 0;
        int fw = 0;
        int fh = 0;
        boolean interlace = false;
        int codeSize = -1;
        int s = first;
        while (true) {
            if (s < 0) {
                s = read1();
            }
            if (s < 0 || s == ';') {
                break;
            }
            if (s == '!') {
                int label = read1();
                if (label < 0) {
                    throw fail("truncated GIF extension");
                }
                byte[] block = subBlock();
                if (label == 249) {
                    if (block == null || block.length < 3 || ((block[0] & 1) != 0 && block.length < 4)) {
                        throw fail("malformed GIF graphic control extension");
                    }
                    if ((block[0] & 1) != 0) {
                        transparency = block[3] & 0xff;
                    }
                } else if (label == 254) {
                    while (block != null) {
                        block = subBlock();
                    }
                    s = -1;
                    continue;
                } else if (label == 255) {
                    if (block == null) {
                        throw fail("malformed GIF application extension");
                    }
                    if (startsWith(block, "NETSCAPE2.0") && subBlock() == null) {
                        throw fail("malformed GIF NETSCAPE2.0 extension");
                    }
                }
                skipSubBlocks();
            } else if (s == ',') {
                if (pos + 9 > b.length) {
                    throw fail("truncated GIF image descriptor");
                }
                x0 = u16(pos);
                y0 = u16(pos + 2);
                fw = u16(pos + 4);
                fh = u16(pos + 6);
                int f = b[pos + 8] & 0xff;
                pos += 9;
                width = Math.max(width, x0 + fw);
                height = Math.max(height, y0 + fh);
                interlace = (f & 64) != 0;
                if ((f & 128) != 0) {
                    byte[] p = read(3 << ((f & 7) + 1));
                    local = p;
                    localIsGrey = !paletteNeeded(p);
                }
                codeSize = read1();
                if (codeSize < 0) {
                    throw fail("truncated GIF (no LZW code size)");
                }
                break;
            }
            s = -1;
        }
        if (codeSize < 0) {
            throw fail("GIF without an image");
        }
        if (width < 1 || height < 1 || fw < 1 || fh < 1) {
            throw fail("GIF frame of size " + fw + "x" + fh + " on a " + width + "x" + height + " screen");
        }
        sizeCheck.check(name, width, height);
        if (codeSize > MAX_CODE_BITS) {
            throw fail("GIF LZW code size " + codeSize + " is over 12 (Pillow: decoder error)");
        }
        // an identity local palette opens as mode L, but the global palette is then attached and turns it into P
        byte[] palette = local != null && !localIsGrey ? local : global;
        int w = (int) width;
        int h = (int) height;
        byte[] index = new byte[w * h];
        if (transparency != null) {
            java.util.Arrays.fill(index, (byte) (int) transparency);
        }
        lzw(index, w, x0, y0, fw, fh, codeSize, interlace);
        RgbImage out = RgbImage.black(w, h);
        byte[] rgb = out.rgb();
        int entries = palette == null ? 0 : palette.length / 3;
        for (int i = 0, o = 0; i < index.length; i++, o += 3) {
            int v = index[i] & 0xff;
            if (v < entries) {
                rgb[o] = palette[3 * v];
                rgb[o + 1] = palette[3 * v + 1];
                rgb[o + 2] = palette[3 * v + 2];
            } else {
                rgb[o] = (byte) v;
                rgb[o + 1] = (byte) v;
                rgb[o + 2] = (byte) v;
            }
        }
        return out;
    }

    /**
     * Pillow's {@code ImagingGifDecode} over the rest of the file: codes of {@code bits + 1} bits growing to 12,
     * strings expanded through the link table, the frame rows filled in order or in the four interlace passes.
     */
    private void lzw(byte[] out, int w, int x0, int y0, int fw, int fh, int bits, boolean interlace) {
        int clear = 1 << bits;
        int end = clear + 1;
        byte[] data = new byte[TABLE];
        short[] link = new short[TABLE];
        byte[] stack = new byte[TABLE + 1];
        int next = 0;
        int codeSize = 0;
        int codeMask = 0;
        int lastCode = 0;
        int lastData = 0;
        int state = 1;
        long bitBuffer = 0;
        int bitCount = 0;
        int blockLeft = 0;
        int p = pos;
        int x = 0;
        int y = 0;
        int step = interlace ? 8 : 1;
        int pass = interlace ? 1 : 0;
        while (true) {
            if (state == 1) {
                next = clear + 2;
                codeSize = bits + 1;
                codeMask = (1 << codeSize) - 1;
                state = 2;
            }
            while (bitCount < codeSize) {
                if (blockLeft > 0) {
                    bitBuffer |= (long) (b[p++] & 0xff) << bitCount;
                    bitCount += 8;
                    blockLeft--;
                } else {
                    if (p >= b.length || p + 1 + (b[p] & 0xff) > b.length) {
                        throw fail("truncated GIF image data (the frame is not complete)");
                    }
                    blockLeft = b[p++] & 0xff;
                }
            }
            int c = (int) (bitBuffer & codeMask);
            bitBuffer >>>= codeSize;
            bitCount -= codeSize;
            if (c == clear) {
                if (state != 2) {
                    state = 1;
                }
                continue;
            }
            if (c == end) {
                throw fail("GIF image data ends before the frame is complete (Pillow: image file is truncated)");
            }
            int top = stack.length;
            if (state == 2) {
                if (c > clear) {
                    throw fail("broken GIF data stream (first code " + c + ")");
                }
                lastData = c;
                lastCode = c;
                stack[--top] = (byte) c;
                state = 3;
            } else {
                int thisCode = c;
                if (c > next) {
                    throw fail("broken GIF data stream (code " + c + " beyond the table)");
                }
                if (c == next) {
                    stack[--top] = (byte) lastData;
                    c = lastCode;
                }
                while (c >= clear) {
                    if (top <= 1 || c >= TABLE) {
                        throw fail("broken GIF data stream");
                    }
                    stack[--top] = data[c];
                    c = link[c];
                }
                lastData = c;
                stack[--top] = (byte) c;
                if (next < TABLE) {
                    data[next] = (byte) c;
                    link[next] = (short) lastCode;
                    if (next == codeMask && codeSize < MAX_CODE_BITS) {
                        codeSize++;
                        codeMask = (1 << codeSize) - 1;
                    }
                    next++;
                }
                lastCode = thisCode;
            }
            for (int i = top; i < stack.length; i++) {
                out[(y0 + y) * w + x0 + x] = stack[i];
                if (++x >= fw) {
                    x = 0;
                    y += step;
                    while (y >= fh) {
                        switch (pass) {
                            case 1 -> { y = 4; pass = 2; }
                            case 2 -> { step = 4; y = 2; pass = 3; }
                            case 3 -> { step = 2; y = 1; pass = 0; }
                            default -> {
                                return;
                            }
                        }
                    }
                }
            }
        }
    }

    /** Pillow's {@code _is_palette_needed}: anything but the grey ramp 0, 1, 2... */
    private boolean paletteNeeded(byte[] p) {
        for (int i = 0; i < p.length; i += 3) {
            if ((p[i] & 0xff) != i / 3) {
                return true;
            }
            if (i + 1 >= p.length) {
                throw fail("truncated GIF palette");
            }
            if (p[i + 1] != p[i]) {
                return true;
            }
            if (i + 2 >= p.length) {
                throw fail("truncated GIF palette");
            }
            if (p[i + 2] != p[i + 1]) {
                return true;
            }
        }
        return false;
    }

    private void skipSubBlocks() {
        byte[] block = subBlock();
        while (block != null && block.length > 0) {
            block = subBlock();
        }
    }

    /** One data sub-block, or null for the terminator or the end of the file. */
    private byte[] subBlock() {
        int n = read1();
        if (n <= 0) {
            return null;
        }
        return read(n);
    }

    private byte[] read(int n) {
        int m = Math.max(0, Math.min(n, b.length - pos));
        byte[] r = java.util.Arrays.copyOfRange(b, pos, pos + m);
        pos += m;
        return r;
    }

    private int read1() {
        return pos < b.length ? b[pos++] & 0xff : -1;
    }

    private static boolean startsWith(byte[] block, String s) {
        if (block.length < s.length()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (block[i] != s.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private int u16(int p) {
        return (b[p] & 0xff) | (b[p + 1] & 0xff) << 8;
    }

    private MobileNetException fail(String msg) {
        return new MobileNetException(name + ": " + msg);
    }
}

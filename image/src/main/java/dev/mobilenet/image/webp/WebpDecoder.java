package dev.mobilenet.image.webp;

import java.util.Arrays;

/**
 * Decodes a WebP file as Pillow 9.4 does through libwebp 1.2.4's animation decoder: the RIFF container is checked
 * like libwebp's demuxer checks it (every chunk, padding included, inside the RIFF size, which must fit in the
 * file; bytes after the RIFF ignored), and the first frame is decoded onto a canvas cleared to transparent black
 * at its offset. Lossy frames (VP8, with an optional ALPH chunk) and lossless frames (VP8L) are decoded by this
 * package's own decoders, bit for bit as libwebp decodes them.
 *
 * <p>Every problem is a {@link WebpException} with a one-line message; no other exception escapes for any input.
 * Memory is bounded by the canvas size, which {@link #info} reports before anything is allocated.
 */
public final class WebpDecoder {
    private static final long MAX_CHUNK_PAYLOAD = 0xFFFFFFFFL - 8 - 1;
    private static final long MAX_IMAGE_AREA = 1L << 32;
    private static final int ALPHA_FLAG = 0x10;
    private static final int ANIMATION_FLAG = 0x02;
    /** ICC, alpha, EXIF, XMP and animation; libwebp's demuxer refuses a file with any other bit set. */
    private static final int VALID_FLAGS = 0x20 | ALPHA_FLAG | 0x08 | 0x04 | ANIMATION_FLAG;

    private WebpDecoder() {
    }

    /** The canvas size and whether Pillow's mode is RGBA, read from the container without decoding pixels. */
    public record Info(int width, int height, boolean hasAlpha) {
    }

    /**
     * A decoded picture: RGB bytes (HWC) and, when the file declares alpha ({@link Info#hasAlpha()}), the alpha
     * plane, else {@code null}.
     */
    public record Image(int width, int height, byte[] rgb, byte[] alpha) {
        /** RGBA bytes, as Pillow's {@code convert('RGBA')}: alpha 255 when the file has none. */
        public byte[] rgba() {
            byte[] out = new byte[width * height * 4];
            for (int i = 0, n = width * height; i < n; i++) {
                out[4 * i] = rgb[3 * i];
                out[4 * i + 1] = rgb[3 * i + 1];
                out[4 * i + 2] = rgb[3 * i + 2];
                out[4 * i + 3] = alpha == null ? (byte) 255 : alpha[i];
            }
            return out;
        }
    }

    /** Where the first frame's chunks are. */
    private record Frame(int x, int y, int alphaOff, int alphaLen, int imageOff, int imageLen, boolean lossless,
            int width, int height) {
    }

    private record Container(int width, int height, boolean hasAlpha, Frame frame) {
    }

    /** The canvas size and alpha flag of a WebP file; checks the whole container. */
    public static Info info(byte[] data) {
        Container c = parse(data);
        return new Info(c.width, c.height, c.hasAlpha);
    }

    /** Decodes the first frame of a WebP file. */
    public static Image decode(byte[] data) {
        return decode(data, Long.MAX_VALUE);
    }

    /** Decodes the first frame of a WebP file, refusing canvases of more than {@code maxPixels} pixels. */
    public static Image decode(byte[] data, long maxPixels) {
        return decode(data, maxPixels, Vp8Pipeline.Threads.AUTO);
    }

    /**
     * As {@link #decode(byte[], long)}; {@code helperThread} false keeps the decode on the caller's thread, true
     * (the default) lets a large lossy picture use a second thread from a shared pool while one is free.
     */
    public static Image decode(byte[] data, long maxPixels, boolean helperThread) {
        return decode(data, maxPixels, helperThread ? Vp8Pipeline.Threads.AUTO : Vp8Pipeline.Threads.ONE);
    }

    static Image decode(byte[] data, long maxPixels, Vp8Pipeline.Threads threads) {
        Container c = parse(data);
        long pixels = (long) c.width * c.height;
        if (pixels > maxPixels || pixels * 3 > Integer.MAX_VALUE - 8) {
            throw new WebpException("WebP canvas " + c.width + "x" + c.height + " exceeds the limit of " + maxPixels
                    + " pixels");
        }
        Frame f = c.frame;
        byte[] alpha = c.hasAlpha ? new byte[(int) pixels] : null;
        byte[] rgb = f.lossless ? drawLossless(data, f, c.width, (int) pixels, alpha)
                : drawLossy(data, f, c.width, (int) pixels, alpha, threads);
        return new Image(c.width, c.height, rgb, alpha);
    }

    /** A VP8L frame into a new canvas of {@code pixels} pixels, {@code canvasWidth} per row, at the frame's offset. */
    private static byte[] drawLossless(byte[] data, Frame f, int canvasWidth, int pixels, byte[] alpha) {
        byte[] rgb = new byte[pixels * 3];
        int[] argb = Vp8lDecoder.decodeImage(data, f.imageOff, f.imageLen, f.width, f.height);
        for (int yy = 0; yy < f.height; yy++) {
            int o = (f.y + yy) * canvasWidth + f.x;
            for (int xx = 0; xx < f.width; xx++) {
                int p = argb[yy * f.width + xx];
                int q = 3 * (o + xx);
                rgb[q] = (byte) (p >> 16);
                rgb[q + 1] = (byte) (p >> 8);
                rgb[q + 2] = (byte) p;
                if (alpha != null) {
                    alpha[o + xx] = (byte) (p >>> 24);
                }
            }
        }
        return rgb;
    }

    /**
     * A VP8 frame (and its ALPH chunk) into a new canvas of {@code pixels} pixels at the frame's offset; the
     * pipeline allocates the RGB canvas on whichever of its threads would otherwise wait first.
     */
    private static byte[] drawLossy(byte[] data, Frame f, int canvasWidth, int pixels, byte[] alpha,
            Vp8Pipeline.Threads threads) {
        Vp8Decoder vp8 = new Vp8Decoder(data, f.imageOff, f.imageLen);
        byte[] a = null;
        if (f.alphaLen >= 0 && alpha != null) {
            a = AlphaDecoder.decode(data, f.alphaOff, f.alphaLen, f.width, f.height);
        }
        byte[] rgb = Vp8Pipeline.decode(vp8, f.width, f.height, pixels * 3, 3 * (f.y * canvasWidth + f.x),
                3 * canvasWidth, threads);
        if (alpha != null) {
            for (int yy = 0; yy < f.height; yy++) {
                int o = (f.y + yy) * canvasWidth + f.x;
                if (a == null) {
                    Arrays.fill(alpha, o, o + f.width, (byte) 255);
                } else {
                    System.arraycopy(a, yy * f.width, alpha, o, f.width);
                }
            }
        }
        return rgb;
    }

    private static long u32(byte[] b, int p) {
        return (b[p] & 0xffL) | (b[p + 1] & 0xffL) << 8 | (b[p + 2] & 0xffL) << 16 | (b[p + 3] & 0xffL) << 24;
    }

    private static int u24(byte[] b, int p) {
        return (b[p] & 0xff) | (b[p + 1] & 0xff) << 8 | (b[p + 2] & 0xff) << 16;
    }

    private static String fourcc(byte[] b, int p) {
        StringBuilder s = new StringBuilder(4);
        for (int i = 0; i < 4; i++) {
            int c = b[p + i] & 0xff;
            s.append(c >= 32 && c < 127 ? (char) c : '?');
        }
        return s.toString();
    }

    private static boolean is(byte[] b, int p, String tag) {
        for (int i = 0; i < 4; i++) {
            if (b[p + i] != tag.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static Container parse(byte[] b) {
        if (b.length < 20) {
            throw new WebpException("truncated WebP file (" + b.length + " bytes)");
        }
        if (!is(b, 0, "RIFF") || !is(b, 8, "WEBP")) {
            throw new WebpException("not a WebP file (no RIFF/WEBP signature)");
        }
        long riffSize = u32(b, 4);
        if (riffSize < 8 || riffSize > MAX_CHUNK_PAYLOAD) {
            throw new WebpException("bad RIFF size " + riffSize);
        }
        long riffEnd = riffSize + 8;
        if (riffEnd > b.length) {
            throw new WebpException("truncated WebP file (" + b.length + " bytes, the RIFF header says " + riffEnd
                    + ")");
        }
        int end = (int) riffEnd;
        if (end < 12 + 8) {
            throw new WebpException("WebP file without chunks");
        }
        if (is(b, 12, "VP8 ") || is(b, 12, "VP8L")) {
            Frame f = storeFrame(b, 12, end, true);
            if (f == null) {
                throw new WebpException("WebP file without an image chunk");
            }
            return new Container(f.width, f.height, f.alphaLen >= 0 || f.lossless && vp8lAlphaHint(b, f), f);
        }
        if (!is(b, 12, "VP8X")) {
            throw new WebpException("unknown WebP chunk '" + fourcc(b, 12) + "' where VP8, VP8L or VP8X belongs");
        }
        long vp8xSize = u32(b, 16);
        if (vp8xSize < 10 || vp8xSize > MAX_CHUNK_PAYLOAD) {
            throw new WebpException("bad VP8X chunk size " + vp8xSize);
        }
        vp8xSize += vp8xSize & 1;
        if (20 + vp8xSize > end) {
            throw new WebpException("VP8X chunk runs past the end of the file");
        }
        int flags = b[20] & 0xff;
        if ((flags & ~VALID_FLAGS) != 0) {
            throw new WebpException("reserved VP8X flag bits set (flags 0x" + Integer.toHexString(flags) + ")");
        }
        int cw = 1 + u24(b, 24);
        int ch = 1 + u24(b, 27);
        if ((long) cw * ch >= MAX_IMAGE_AREA) {
            throw new WebpException("WebP canvas " + cw + "x" + ch + " is too large");
        }
        boolean animation = (flags & ANIMATION_FLAG) != 0;
        boolean hasAlpha = (flags & ALPHA_FLAG) != 0;
        int pos = 20 + (int) vp8xSize;
        if (pos + 8 > end) {
            throw new WebpException("WebP file without an image chunk");
        }
        boolean anim = false;
        Frame first = null;
        while (true) {
            long size = chunkSize(b, pos, end);
            long padded = size + (size & 1);
            if (is(b, pos, "VP8X")) {
                throw new WebpException("second VP8X chunk at byte " + pos);
            } else if (is(b, pos, "ALPH") || is(b, pos, "VP8 ") || is(b, pos, "VP8L")) {
                if (anim || animation) {
                    throw new WebpException("image chunk outside a frame of an animated WebP");
                }
                Frame f = storeFrame(b, pos, end, hasAlpha);
                if (f == null || first != null) {
                    throw new WebpException("WebP file with a misplaced or missing image chunk");
                }
                first = f;
                pos = f.imageOff + f.imageLen;
            } else if (is(b, pos, "ANIM")) {
                if (padded < 6) {
                    throw new WebpException("ANIM chunk of " + size + " bytes");
                }
                anim = true;
                pos += 8 + (int) padded;
            } else if (is(b, pos, "ANMF")) {
                if (!anim) {
                    throw new WebpException("ANMF chunk before the ANIM chunk");
                }
                if (padded < 16) {
                    throw new WebpException("ANMF chunk of " + size + " bytes");
                }
                int p = pos + 8;
                int fx = 2 * u24(b, p);
                int fy = 2 * u24(b, p + 3);
                long fw = 1 + u24(b, p + 6);
                long fh = 1 + u24(b, p + 9);
                if (fw * fh >= MAX_IMAGE_AREA) {
                    throw new WebpException("ANMF frame " + fw + "x" + fh + " is too large");
                }
                int frameEnd = pos + 8 + (int) padded;
                Frame f = storeFrame(b, p + 16, frameEnd, true);
                if (animation && f != null) {
                    if (f.imageOff + f.imageLen > frameEnd) {
                        throw new WebpException("ANMF frame data runs past its chunk");
                    }
                    f = new Frame(fx, fy, f.alphaOff, f.alphaLen, f.imageOff, f.imageLen, f.lossless, f.width,
                            f.height);
                    if (fx + f.width > cw || fy + f.height > ch) {
                        throw new WebpException("animation frame at (" + fx + ", " + fy + ") of " + f.width + "x"
                                + f.height + " outside the " + cw + "x" + ch + " canvas");
                    }
                    if (first == null) {
                        first = f;
                    }
                }
                pos = frameEnd;
            } else {
                pos += 8 + (int) padded;
            }
            if (pos == end) {
                break;
            }
            if (pos + 8 > end) {
                throw new WebpException("truncated chunk header at byte " + pos);
            }
        }
        if (first == null) {
            throw new WebpException("WebP file without a frame");
        }
        if (!animation && (first.width != cw || first.height != ch)) {
            throw new WebpException("image of " + first.width + "x" + first.height + " in a " + cw + "x" + ch
                    + " VP8X canvas");
        }
        return new Container(cw, ch, hasAlpha, first);
    }

    private static boolean vp8lAlphaHint(byte[] b, Frame f) {
        return ((b[f.imageOff + 4] >> 4) & 1) == 1;
    }

    /**
     * The payload size of the chunk at {@code pos}, after checking it as libwebp's demuxer does: at most
     * {@code MAX_CHUNK_PAYLOAD}, and the chunk with its padding byte inside {@code end}.
     */
    private static long chunkSize(byte[] b, int pos, int end) {
        long size = u32(b, pos + 4);
        if (size > MAX_CHUNK_PAYLOAD) {
            throw new WebpException("bad chunk size " + size + " at byte " + pos);
        }
        if (pos + 8 + size + (size & 1) > end) {
            throw new WebpException("chunk '" + fourcc(b, pos) + "' at byte " + pos + " runs past the end of the file");
        }
        return size;
    }

    /**
     * An optional ALPH chunk followed by a VP8 or VP8L chunk starting at {@code pos}, as libwebp's demuxer stores
     * a frame; null when there is no image chunk there. The image data range includes the padding byte.
     */
    private static Frame storeFrame(byte[] b, int pos, int end, boolean keepAlpha) {
        int alphaOff = -1;
        int alphaLen = -1;
        while (pos + 8 <= end) {
            long size = chunkSize(b, pos, end);
            long padded = size + (size & 1);
            if (is(b, pos, "ALPH")) {
                if (alphaOff >= 0) {
                    return null;
                }
                alphaOff = pos + 8;
                alphaLen = (int) size;
                pos += 8 + (int) padded;
            } else if (is(b, pos, "VP8 ") || is(b, pos, "VP8L")) {
                boolean lossless = is(b, pos, "VP8L");
                if (lossless && alphaOff >= 0) {
                    throw new WebpException("ALPH chunk before a lossless image");
                }
                int off = pos + 8;
                int len = (int) padded;
                int[] wh = lossless ? Vp8lDecoder.header(b, off, (int) size) : vp8Size(b, off, (int) size);
                if (!keepAlpha) {
                    alphaOff = -1;
                    alphaLen = -1;
                }
                return new Frame(0, 0, alphaOff, alphaLen, off, len, lossless, wh[0], wh[1]);
            } else {
                return null;
            }
        }
        return null;
    }

    /** libwebp's VP8GetInfo checks. */
    private static int[] vp8Size(byte[] b, int off, int size) {
        if (size < 10) {
            throw new WebpException("truncated VP8 frame header (" + size + " bytes)");
        }
        if ((b[off + 3] & 0xff) != 0x9d || (b[off + 4] & 0xff) != 0x01 || (b[off + 5] & 0xff) != 0x2a) {
            throw new WebpException("bad VP8 start code");
        }
        int bits = u24(b, off);
        if ((bits & 1) != 0) {
            throw new WebpException("VP8 frame is not a key frame");
        }
        if (((bits >> 1) & 7) > 3 || ((bits >> 4) & 1) == 0 || (bits >>> 5) >= size) {
            throw new WebpException("bad VP8 frame header (profile, visibility or first partition size "
                    + (bits >>> 5) + " of " + size + " bytes)");
        }
        int w = ((b[off + 7] & 0xff) << 8 | (b[off + 6] & 0xff)) & 0x3fff;
        int h = ((b[off + 9] & 0xff) << 8 | (b[off + 8] & 0xff)) & 0x3fff;
        if (w == 0 || h == 0) {
            throw new WebpException("VP8 frame of size " + w + "x" + h);
        }
        return new int[] {w, h};
    }
}

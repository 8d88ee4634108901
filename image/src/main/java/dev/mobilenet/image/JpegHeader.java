package dev.mobilenet.image;

/**
 * What libjpeg looks at before the first scan to choose the colour space: the frame header (size, component
 * count and ids) and the JFIF and Adobe markers. The markers are walked as Pillow 9.4's {@code JpegImagePlugin}
 * walks them before handing the file to libjpeg: bytes between segments that are not a marker (junk, {@code FF 00},
 * {@code FF} fill) are skipped, as both skip them; an unknown marker, a truncated segment or a frame header Pillow
 * cannot handle (not 8-bit, not 1, 3 or 4 components) is refused, and so is a marker libjpeg refuses before the
 * first scan (unsupported SOF types, a second SOI or frame header, EOI, JPGn, DHP, EXP). The JDK's libjpeg skips
 * the same junk when it decodes. Parsed from untrusted bytes; {@link #parse} throws {@link IllegalArgumentException}
 * with the reason. {@code bogusLengths} are the offsets of APPn and COM length fields of 0 or 1, which Pillow and
 * libjpeg read as empty segments and the JDK's reader fails on: {@link #withEmptySegments} sets them to 2.
 */
record JpegHeader(int width, int height, int components, int[] componentIds, boolean jfif, int adobeTransform,
        int[] bogusLengths) {

    /** libjpeg's colour spaces, as {@code jdapimin.c} infers them. */
    enum ColorSpace { GRAY, YCBCR, RGB, CMYK, YCCK }

    /** Walks the markers of {@code b}, which starts with FF D8 FF. */
    static JpegHeader parse(byte[] b) {
        int pos = 3;
        int cur = 0xFF;
        boolean jfif = false;
        int adobe = -1;
        int[] frame = null;
        int[] bogus = new int[0];
        int width = 0;
        int height = 0;
        while (true) {
            if (cur != 0xFF) {
                cur = next(b, pos++);
                continue;
            }
            int markerAt = pos - 1;
            int m = next(b, pos++);
            if (m == 0xFF) {
                continue;
            }
            if (m == 0x00) {
                cur = next(b, pos++);
                continue;
            }
            if (m < 0xC0) {
                throw new IllegalArgumentException("no JPEG marker found at byte " + markerAt + " (FF "
                        + Integer.toHexString(m).toUpperCase(java.util.Locale.ROOT) + ")");
            }
            refuseIfLibjpegDoes(m, markerAt);
            boolean hasLength = m != 0xC8 && (m < 0xD0 || m > 0xD9) && (m < 0xF0 || m > 0xFD);
            int end = pos;
            if (hasLength) {
                if (pos + 2 > b.length) {
                    throw new IllegalArgumentException("truncated JPEG header (segment length at byte " + pos + ")");
                }
                int len = u16(b, pos);
                if (len < 2 && ((m >= 0xE0 && m <= 0xEF) || m == 0xFE)) {
                    bogus = java.util.Arrays.copyOf(bogus, bogus.length + 1);
                    bogus[bogus.length - 1] = pos;
                    len = 2;
                }
                end = pos + len;
                if (len < 2 || end > b.length) {
                    throw new IllegalArgumentException("truncated or malformed JPEG segment at byte " + markerAt);
                }
                int p = pos + 2;
                int n = len - 2;
                if (m == 0xE0 && n >= 5 && b[p] == 'J' && b[p + 1] == 'F' && b[p + 2] == 'I' && b[p + 3] == 'F'
                        && b[p + 4] == 0) {
                    if (n < 7) {
                        throw new IllegalArgumentException("malformed JFIF segment at byte " + markerAt);
                    }
                    jfif |= n >= 14;
                } else if (m == 0xEE && n >= 5 && b[p] == 'A' && b[p + 1] == 'd' && b[p + 2] == 'o'
                        && b[p + 3] == 'b' && b[p + 4] == 'e') {
                    if (n < 7) {
                        throw new IllegalArgumentException("malformed Adobe segment at byte " + markerAt);
                    }
                    if (n >= 12) {
                        adobe = b[p + 11] & 0xff;
                    }
                } else if (m == 0xDB) {
                    checkQuantTables(b, p, n, markerAt);
                } else if (m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC) {
                    if (n < 6) {
                        throw new IllegalArgumentException("malformed JPEG frame header");
                    }
                    if (frame != null) {
                        throw new IllegalArgumentException("a second JPEG frame header at byte " + markerAt);
                    }
                    if ((b[p] & 0xff) != 8) {
                        throw new IllegalArgumentException("cannot handle " + (b[p] & 0xff) + "-bit JPEG layers");
                    }
                    int nf = b[p + 5] & 0xff;
                    if (nf != 1 && nf != 3 && nf != 4) {
                        throw new IllegalArgumentException("cannot handle " + nf + "-layer JPEG images");
                    }
                    if (n < 6 + 3 * nf) {
                        throw new IllegalArgumentException("malformed JPEG frame header (" + nf + " components)");
                    }
                    height = u16(b, p + 1);
                    width = u16(b, p + 3);
                    frame = new int[nf];
                    for (int i = 0; i < nf; i++) {
                        frame[i] = b[p + 6 + 3 * i] & 0xff;
                    }
                }
            }
            if (m == 0xDA) {
                if (frame == null) {
                    throw new IllegalArgumentException("JPEG without a frame header");
                }
                checkMarkersAfterScan(b, end);
                return new JpegHeader(width, height, frame.length, frame, jfif, adobe, bogus);
            }
            pos = end;
            cur = next(b, pos++);
        }
    }

    /** {@code b} itself, or a copy whose bogus APPn/COM lengths are 2 (an empty segment, junk after it). */
    byte[] withEmptySegments(byte[] b) {
        if (bogusLengths.length == 0) {
            return b;
        }
        byte[] copy = b.clone();
        for (int p : bogusLengths) {
            copy[p] = 0;
            copy[p + 1] = 2;
        }
        return copy;
    }

    /**
     * The markers from the first scan's data to EOI, as libjpeg reads them once the scans are decoded (Pillow
     * finishes every decompression, so it reads them all): a marker met inside entropy-coded data only ends that
     * scan early, but one libjpeg does not know there (a frame header, SOI, DHP, EXP, JPGn, reserved values)
     * stops the decode. The JDK's reader does not read to EOI on every version, so this is checked here.
     */
    private static void checkMarkersAfterScan(byte[] b, int pos) {
        while (pos + 1 < b.length) {
            if ((b[pos] & 0xff) != 0xFF) {
                pos++;
                continue;
            }
            int m = b[pos + 1] & 0xff;
            if (m == 0x00 || m == 0xFF || m >= 0xD0 && m <= 0xD7 || m == 0x01) {
                pos += m == 0xFF ? 1 : 2;
                continue;
            }
            if (m == 0xD9) {
                return;
            }
            boolean known = m == 0xC4 || m == 0xCC || m >= 0xDA && m <= 0xDD || m >= 0xE0 && m <= 0xEF || m == 0xFE;
            if (!known) {
                throw new IllegalArgumentException("unsupported JPEG marker FF"
                        + Integer.toHexString(m).toUpperCase(java.util.Locale.ROOT) + " after the first scan at byte "
                        + pos);
            }
            if (pos + 4 > b.length) {
                return;
            }
            pos += 2 + Math.max(2, u16(b, pos + 2));
        }
    }

    private static int next(byte[] b, int pos) {
        if (pos >= b.length) {
            throw new IllegalArgumentException("truncated JPEG header (no start of scan before the end)");
        }
        return b[pos] & 0xff;
    }

    /** Markers libjpeg-turbo stops at before the first scan, although Pillow's walk passes them. */
    private static void refuseIfLibjpegDoes(int m, int at) {
        String what = null;
        if (m == 0xC3 || (m >= 0xC5 && m <= 0xC7) || m == 0xCB || (m >= 0xCD && m <= 0xCF)) {
            what = "unsupported JPEG process (SOF" + (m - 0xC0) + ")";
        } else if (m == 0xD8) {
            what = "a second SOI marker";
        } else if (m == 0xD9) {
            what = "JPEG ends before its first scan";
        } else if (m == 0xC8 || m == 0xDE || m == 0xDF || (m >= 0xF0 && m <= 0xFD)) {
            what = "unsupported JPEG marker FF" + Integer.toHexString(m).toUpperCase(java.util.Locale.ROOT);
        }
        if (what != null) {
            throw new IllegalArgumentException(what + " at byte " + at);
        }
    }

    /** Pillow's DQT handler: each table must be complete. */
    private static void checkQuantTables(byte[] b, int p, int n, int at) {
        int end = p + n;
        while (p < end) {
            int size = 1 + ((b[p] & 0xff) >> 4 == 0 ? 64 : 128);
            if (end - p < size) {
                throw new IllegalArgumentException("bad quantization table marker at byte " + at);
            }
            p += size;
        }
    }

    /** The colour space of the coded data, by libjpeg's rules (JFIF, then Adobe transform, then component ids). */
    ColorSpace colorSpace() {
        switch (components) {
            case 1:
                return ColorSpace.GRAY;
            case 3:
                if (jfif) {
                    return ColorSpace.YCBCR;
                }
                if (adobeTransform >= 0) {
                    return adobeTransform == 0 ? ColorSpace.RGB : ColorSpace.YCBCR;
                }
                if (componentIds[0] == 'R' && componentIds[1] == 'G' && componentIds[2] == 'B') {
                    return ColorSpace.RGB;
                }
                return ColorSpace.YCBCR;
            case 4:
                if (adobeTransform >= 0) {
                    return adobeTransform == 0 ? ColorSpace.CMYK : ColorSpace.YCCK;
                }
                return ColorSpace.CMYK;
            default:
                throw new IllegalArgumentException("JPEG with " + components + " components is not supported");
        }
    }

    private static int u16(byte[] b, int p) {
        return (b[p] & 0xff) << 8 | (b[p + 1] & 0xff);
    }
}

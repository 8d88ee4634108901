package dev.mobilenet.image;

/**
 * What libjpeg looks at before the first scan to choose the colour space: the frame header (size, component
 * count and ids) and the JFIF and Adobe markers. Parsed from untrusted bytes; {@link #parse} throws
 * {@link IllegalArgumentException} with the reason when the markers are malformed or end early.
 */
record JpegHeader(int width, int height, int components, int[] componentIds, boolean jfif, int adobeTransform) {

    /** libjpeg's colour spaces, as {@code jdapimin.c} infers them. */
    enum ColorSpace { GRAY, YCBCR, RGB, CMYK, YCCK }

    static JpegHeader parse(byte[] b) {
        int pos = 2;
        boolean jfif = false;
        int adobe = -1;
        while (true) {
            if (pos >= b.length) {
                throw new IllegalArgumentException("truncated JPEG header (no frame header before the end)");
            }
            if ((b[pos] & 0xff) != 0xFF) {
                throw new IllegalArgumentException("bad JPEG marker at byte " + pos);
            }
            while (pos < b.length && (b[pos] & 0xff) == 0xFF) {
                pos++;
            }
            if (pos >= b.length) {
                throw new IllegalArgumentException("truncated JPEG header");
            }
            int marker = b[pos++] & 0xff;
            if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD8)) {
                continue;
            }
            if (marker == 0xD9 || marker == 0xDA) {
                throw new IllegalArgumentException("JPEG without a frame header");
            }
            if (pos + 2 > b.length) {
                throw new IllegalArgumentException("truncated JPEG header");
            }
            int len = u16(b, pos);
            if (len < 2 || pos + len > b.length) {
                throw new IllegalArgumentException("truncated or malformed JPEG segment at byte " + pos);
            }
            int p = pos + 2;
            int n = len - 2;
            if (marker == 0xE0 && n >= 5 && b[p] == 'J' && b[p + 1] == 'F' && b[p + 2] == 'I' && b[p + 3] == 'F'
                    && b[p + 4] == 0) {
                jfif = true;
            } else if (marker == 0xEE && n >= 12 && b[p] == 'A' && b[p + 1] == 'd' && b[p + 2] == 'o'
                    && b[p + 3] == 'b' && b[p + 4] == 'e') {
                adobe = b[p + 11] & 0xff;
            } else if (marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC) {
                if (n < 6) {
                    throw new IllegalArgumentException("malformed JPEG frame header");
                }
                int height = u16(b, p + 1);
                int width = u16(b, p + 3);
                int nf = b[p + 5] & 0xff;
                if (nf < 1 || n < 6 + 3 * nf) {
                    throw new IllegalArgumentException("malformed JPEG frame header (" + nf + " components)");
                }
                int[] ids = new int[nf];
                for (int i = 0; i < nf; i++) {
                    ids[i] = b[p + 6 + 3 * i] & 0xff;
                }
                // Adobe markers may follow the frame header; libjpeg reads every marker up to the first scan.
                int q = pos + len;
                while (q + 4 <= b.length && (b[q] & 0xff) == 0xFF) {
                    int m = b[q + 1] & 0xff;
                    if (m == 0xDA || m == 0xD9 || m == 0xFF) {
                        break;
                    }
                    int l = u16(b, q + 2);
                    if (l < 2 || q + 2 + l > b.length) {
                        break;
                    }
                    if (m == 0xEE && l - 2 >= 12 && b[q + 4] == 'A' && b[q + 5] == 'd' && b[q + 6] == 'o') {
                        adobe = b[q + 4 + 11] & 0xff;
                    }
                    if (m == 0xE0 && l - 2 >= 5 && b[q + 4] == 'J' && b[q + 5] == 'F' && b[q + 6] == 'I') {
                        jfif = true;
                    }
                    q += 2 + l;
                }
                return new JpegHeader(width, height, nf, ids, jfif, adobe);
            }
            pos += len;
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

package dev.mobilenet.image.webp;

/**
 * The WebP lossless format (VP8L): an ARGB image from prefix codes with LZ77 back-references and a colour cache,
 * under up to four transforms (predictor, cross-colour, subtract-green, colour indexing), as libwebp 1.2.4
 * decodes it. Also decodes the headerless VP8L stream of a lossless-compressed alpha plane (its green channel).
 *
 * <p>Errors follow libwebp: incomplete or over-subscribed prefix codes (except a code of one symbol), a repeated
 * transform, back-references outside the decoded pixels, and reading past the end of the data all refuse the
 * stream.
 */
final class Vp8lDecoder {
    private static final int NUM_LITERAL_CODES = 256;
    private static final int NUM_LENGTH_CODES = 24;
    private static final int NUM_DISTANCE_CODES = 40;
    private static final int[] ALPHABET_SIZE = {NUM_LITERAL_CODES + NUM_LENGTH_CODES, NUM_LITERAL_CODES,
            NUM_LITERAL_CODES, NUM_LITERAL_CODES, NUM_DISTANCE_CODES};
    private static final int[] CODE_LENGTH_ORDER = {17, 18, 0, 1, 2, 3, 4, 5, 16, 6, 7, 8, 9, 10, 11, 12, 13, 14,
            15};
    private static final int ROOT_BITS = 8;
    private static final int LENGTHS_ROOT_BITS = 7;
    private static final int MAX_CODE_LENGTH = 15;
    /** Where plane codes 1..120 point: (dy << 4) | (8 - dx). */
    private static final int[] CODE_TO_PLANE = {
            0x18, 0x07, 0x17, 0x19, 0x28, 0x06, 0x27, 0x29, 0x16, 0x1a, 0x26, 0x2a, 0x38, 0x05, 0x37, 0x39, 0x15,
            0x1b, 0x36, 0x3a, 0x25, 0x2b, 0x48, 0x04, 0x47, 0x49, 0x14, 0x1c, 0x35, 0x3b, 0x46, 0x4a, 0x24, 0x2c,
            0x58, 0x45, 0x4b, 0x34, 0x3c, 0x03, 0x57, 0x59, 0x13, 0x1d, 0x56, 0x5a, 0x23, 0x2d, 0x44, 0x4c, 0x55,
            0x5b, 0x33, 0x3d, 0x68, 0x02, 0x67, 0x69, 0x12, 0x1e, 0x66, 0x6a, 0x22, 0x2e, 0x54, 0x5c, 0x43, 0x4d,
            0x65, 0x6b, 0x32, 0x3e, 0x78, 0x01, 0x77, 0x79, 0x53, 0x5d, 0x11, 0x1f, 0x64, 0x6c, 0x42, 0x4e, 0x76,
            0x7a, 0x21, 0x2f, 0x75, 0x7b, 0x31, 0x3f, 0x63, 0x6d, 0x52, 0x5e, 0x00, 0x74, 0x7c, 0x41, 0x4f, 0x10,
            0x20, 0x62, 0x6e, 0x30, 0x73, 0x7d, 0x51, 0x5f, 0x40, 0x72, 0x7e, 0x61, 0x6f, 0x50, 0x71, 0x7f, 0x60,
            0x70};

    private final byte[] buf;
    private final int end;
    private int pos;
    private long window;
    private int have;
    private long consumed;
    private final long available;
    private int transformsSeen;
    private final int[] transformType = new int[4];
    private final int[] transformBits = new int[4];
    private final int[] transformXsize = new int[4];
    private final int[][] transformData = new int[4][];
    private int numTransforms;
    /** An alpha stream libwebp decodes on its 8-bit path, which accepts running out of data on the last pixel. */
    private boolean alphaStream;
    private boolean eightBitAlpha;

    private Vp8lDecoder(byte[] buf, int off, int len) {
        this.buf = buf;
        this.pos = off;
        this.end = off + len;
        this.available = (long) Math.max(len, 8) * 8;
        refill();
    }

    /** The width and height in a VP8L header at {@code off}; checks the signature and version as libwebp does. */
    static int[] header(byte[] b, int off, int len) {
        if (len < 5 || (b[off] & 0xff) != 0x2f || ((b[off + 4] & 0xff) >> 5) != 0) {
            throw new WebpException("bad VP8L header");
        }
        int bits = (b[off + 1] & 0xff) | (b[off + 2] & 0xff) << 8 | (b[off + 3] & 0xff) << 16
                | (b[off + 4] & 0xff) << 24;
        return new int[] {(bits & 0x3fff) + 1, ((bits >>> 14) & 0x3fff) + 1};
    }

    /** Decodes a VP8L image chunk's payload to ARGB pixels. */
    static int[] decodeImage(byte[] b, int off, int len, int width, int height) {
        Vp8lDecoder d = new Vp8lDecoder(b, off, len);
        d.readBits(8);
        int w = d.readBits(14) + 1;
        int h = d.readBits(14) + 1;
        d.readBits(1);
        if (d.readBits(3) != 0 || w != width || h != height) {
            throw new WebpException("bad VP8L header");
        }
        return d.decodeLevel0(width, height);
    }

    /** Decodes a lossless-compressed alpha plane (the green channel of a headerless VP8L stream). */
    static byte[] decodeAlpha(byte[] b, int off, int len, int width, int height) {
        Vp8lDecoder d = new Vp8lDecoder(b, off, len);
        d.alphaStream = true;
        int[] argb = d.decodeLevel0(width, height);
        byte[] out = new byte[width * height];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) (argb[i] >> 8);
        }
        return out;
    }

    private void refill() {
        while (have <= 56 && pos < end) {
            window |= (buf[pos++] & 0xffL) << have;
            have += 8;
        }
    }

    private int readBits(int n) {
        if (have < n) {
            refill();
        }
        int v = (int) (window & ((1L << n) - 1));
        skip(n);
        return v;
    }

    private void skip(int n) {
        window >>>= n;
        have = Math.max(have - n, 0);
        consumed += n;
    }

    private boolean eos() {
        return consumed > available;
    }

    private void checkEos() {
        if (eos()) {
            throw new WebpException("truncated VP8L data");
        }
    }

    private static int subSample(int size, int bits) {
        return (size + (1 << bits) - 1) >> bits;
    }

    private int[] decodeLevel0(int xsize, int ysize) {
        int tx = xsize;
        while (readBits(1) == 1) {
            tx = readTransform(tx, ysize);
        }
        int[] data = decodeStream(tx, ysize, true);
        for (int i = numTransforms - 1; i >= 0; i--) {
            data = inverseTransform(i, data, ysize);
        }
        return data;
    }

    private int readTransform(int xsize, int ysize) {
        int type = readBits(2);
        if ((transformsSeen & (1 << type)) != 0) {
            throw new WebpException("VP8L transform " + type + " repeated");
        }
        transformsSeen |= 1 << type;
        int t = numTransforms++;
        transformType[t] = type;
        transformXsize[t] = xsize;
        switch (type) {
            case 0, 1 -> {
                int bits = readBits(3) + 2;
                transformBits[t] = bits;
                transformData[t] = decodeStream(subSample(xsize, bits), subSample(ysize, bits), false);
            }
            case 3 -> {
                int numColors = readBits(8) + 1;
                int bits = numColors > 16 ? 0 : numColors > 4 ? 1 : numColors > 2 ? 2 : 3;
                transformBits[t] = bits;
                int[] colors = decodeStream(numColors, 1, false);
                int[] palette = new int[1 << (8 >> bits)];
                palette[0] = colors[0];
                for (int i = 1; i < numColors; i++) {
                    palette[i] = addPixels(colors[i], palette[i - 1]);
                }
                transformData[t] = palette;
                return subSample(xsize, bits);
            }
            default -> {
            }
        }
        return xsize;
    }

    /** One entropy-coded image: transforms already read; meta prefix codes only at level 0. */
    private int[] decodeStream(int xsize, int ysize, boolean level0) {
        int cacheBits = 0;
        if (readBits(1) == 1) {
            cacheBits = readBits(4);
            if (cacheBits < 1 || cacheBits > 11) {
                throw new WebpException("bad VP8L colour cache size " + cacheBits);
            }
        }
        int[] huffmanImage = null;
        int huffmanBits = 0;
        int huffmanXsize = 0;
        int numGroups = 1;
        if (level0 && readBits(1) == 1) {
            huffmanBits = readBits(3) + 2;
            huffmanXsize = subSample(xsize, huffmanBits);
            huffmanImage = decodeStream(huffmanXsize, subSample(ysize, huffmanBits), false);
            for (int i = 0; i < huffmanImage.length; i++) {
                int g = (huffmanImage[i] >> 8) & 0xffff;
                huffmanImage[i] = g;
                numGroups = Math.max(numGroups, g + 1);
            }
        }
        checkEos();
        boolean[] used = new boolean[numGroups];
        if (huffmanImage == null) {
            used[0] = true;
        } else {
            for (int g : huffmanImage) {
                used[g] = true;
            }
        }
        int[][][] groups = new int[numGroups][][];
        int[] lengths = new int[NUM_LITERAL_CODES + NUM_LENGTH_CODES + (1 << 11)];
        int[] scratch = new int[6000];
        for (int i = 0; i < numGroups; i++) {
            int[][] codes = new int[5][];
            for (int j = 0; j < 5; j++) {
                int alphabet = ALPHABET_SIZE[j] + (j == 0 && cacheBits > 0 ? 1 << cacheBits : 0);
                codes[j] = readCode(alphabet, lengths, scratch);
            }
            if (used[i]) {
                groups[i] = codes;
            }
        }
        if (level0 && alphaStream && cacheBits == 0 && numTransforms == 1 && transformType[0] == 3) {
            eightBitAlpha = true;
            for (int[][] g : groups) {
                if (g != null && (g[1][0] >>> 16 > 0 || g[2][0] >>> 16 > 0 || g[3][0] >>> 16 > 0)) {
                    eightBitAlpha = false;
                }
            }
        }
        int[] data = new int[Math.multiplyExact(xsize, ysize)];
        decodePixels(data, xsize, ysize, groups, huffmanImage, huffmanBits, huffmanXsize, cacheBits);
        return data;
    }

    private int[] readCode(int alphabet, int[] lengths, int[] scratch) {
        java.util.Arrays.fill(lengths, 0, alphabet, 0);
        if (readBits(1) == 1) {
            int numSymbols = readBits(1) + 1;
            int firstBits = readBits(1) == 0 ? 1 : 8;
            int s = readBits(firstBits);
            if (s < alphabet) {
                lengths[s] = 1;
            }
            if (numSymbols == 2) {
                s = readBits(8);
                if (s < alphabet) {
                    lengths[s] = 1;
                }
            }
        } else {
            int[] clLengths = new int[19];
            int numCodes = readBits(4) + 4;
            for (int i = 0; i < numCodes; i++) {
                clLengths[CODE_LENGTH_ORDER[i]] = readBits(3);
            }
            readCodeLengths(clLengths, alphabet, lengths, scratch);
        }
        checkEos();
        int size = build(scratch, ROOT_BITS, lengths, alphabet);
        if (size == 0) {
            throw new WebpException("bad VP8L prefix code");
        }
        return java.util.Arrays.copyOf(scratch, size);
    }

    private void readCodeLengths(int[] clLengths, int numSymbols, int[] lengths, int[] scratch) {
        int size = build(scratch, LENGTHS_ROOT_BITS, clLengths, 19);
        if (size == 0) {
            throw new WebpException("bad VP8L code-length code");
        }
        int[] table = java.util.Arrays.copyOf(scratch, size);
        int maxSymbol;
        if (readBits(1) == 1) {
            int nbits = 2 + 2 * readBits(3);
            maxSymbol = 2 + readBits(nbits);
            if (maxSymbol > numSymbols) {
                throw new WebpException("bad VP8L code length count");
            }
        } else {
            maxSymbol = numSymbols;
        }
        int prev = 8;
        int symbol = 0;
        while (symbol < numSymbols) {
            if (maxSymbol-- == 0) {
                break;
            }
            if (have < 15) {
                refill();
            }
            int e = table[(int) (window & ((1 << LENGTHS_ROOT_BITS) - 1))];
            skip(e >>> 16);
            int len = e & 0xffff;
            if (len < 16) {
                lengths[symbol++] = len;
                if (len != 0) {
                    prev = len;
                }
            } else {
                int slot = len - 16;
                int repeat = readBits(slot == 0 ? 2 : slot == 1 ? 3 : 7) + (slot == 2 ? 11 : 3);
                if (symbol + repeat > numSymbols) {
                    throw new WebpException("bad VP8L code length repeat");
                }
                int v = slot == 0 ? prev : 0;
                while (repeat-- > 0) {
                    lengths[symbol++] = v;
                }
            }
        }
    }

    private static int nextKey(int key, int len) {
        int step = 1 << (len - 1);
        while ((key & step) != 0) {
            step >>= 1;
        }
        return step != 0 ? (key & (step - 1)) + step : key;
    }

    private static void replicate(int[] table, int at, int step, int end, int entry) {
        do {
            end -= step;
            table[at + end] = entry;
        } while (end > 0);
    }

    /**
     * A canonical prefix code as a two-level lookup table (entries {@code bits << 16 | value}; a root entry with
     * more than {@code rootBits} bits links to a second-level table {@code value} entries further on). Returns the
     * table size, or 0 for a code libwebp rejects.
     */
    static int build(int[] table, int rootBits, int[] lengths, int n) {
        int[] count = new int[MAX_CODE_LENGTH + 1];
        for (int s = 0; s < n; s++) {
            if (lengths[s] > MAX_CODE_LENGTH) {
                return 0;
            }
            count[lengths[s]]++;
        }
        if (count[0] == n) {
            return 0;
        }
        int[] offset = new int[MAX_CODE_LENGTH + 2];
        for (int len = 1; len <= MAX_CODE_LENGTH; len++) {
            if (count[len] > (1 << len)) {
                return 0;
            }
            offset[len + 1] = offset[len] + count[len];
        }
        int[] sorted = new int[n];
        for (int s = 0; s < n; s++) {
            if (lengths[s] > 0) {
                sorted[offset[lengths[s]]++] = s;
            }
        }
        int rootSize = 1 << rootBits;
        if (offset[MAX_CODE_LENGTH] == 1) {
            replicate(table, 0, 1, rootSize, sorted[0]);
            return rootSize;
        }
        int total = rootSize;
        int numNodes = 1;
        int numOpen = 1;
        int key = 0;
        int symbol = 0;
        int step = 2;
        for (int len = 1; len <= rootBits; len++, step <<= 1) {
            numOpen <<= 1;
            numNodes += numOpen;
            numOpen -= count[len];
            if (numOpen < 0) {
                return 0;
            }
            for (; count[len] > 0; count[len]--) {
                replicate(table, key, step, rootSize, len << 16 | sorted[symbol++]);
                key = nextKey(key, len);
            }
        }
        int mask = rootSize - 1;
        int low = -1;
        int sub = 0;
        int subBits = rootBits;
        int subSize = 0;
        step = 2;
        for (int len = rootBits + 1; len <= MAX_CODE_LENGTH; len++, step <<= 1) {
            numOpen <<= 1;
            numNodes += numOpen;
            numOpen -= count[len];
            if (numOpen < 0) {
                return 0;
            }
            for (; count[len] > 0; count[len]--) {
                if ((key & mask) != low) {
                    sub = sub == 0 ? rootSize : sub + subSize;
                    subBits = len - rootBits;
                    int left = 1 << subBits;
                    for (int l = len; l < MAX_CODE_LENGTH; ) {
                        left -= count[l];
                        if (left <= 0) {
                            break;
                        }
                        l++;
                        subBits++;
                        left <<= 1;
                    }
                    subSize = 1 << subBits;
                    total += subSize;
                    if (total > table.length) {
                        return 0;
                    }
                    low = key & mask;
                    table[low] = (subBits + rootBits) << 16 | (sub - low);
                }
                replicate(table, sub + (key >> rootBits), step, subSize, (len - rootBits) << 16 | sorted[symbol++]);
                key = nextKey(key, len);
            }
        }
        if (numNodes != 2 * offset[MAX_CODE_LENGTH] - 1) {
            return 0;
        }
        return total;
    }

    private int readSymbol(int[] table) {
        if (have < 15) {
            refill();
        }
        int bits = (int) window;
        int e = table[bits & ((1 << ROOT_BITS) - 1)];
        int nb = e >>> 16;
        if (nb > ROOT_BITS) {
            skip(ROOT_BITS);
            int idx = (bits & ((1 << ROOT_BITS) - 1)) + (e & 0xffff) + ((bits >>> ROOT_BITS) & ((1 << (nb - ROOT_BITS)) - 1));
            e = table[idx];
            nb = e >>> 16;
        }
        skip(nb);
        return e & 0xffff;
    }

    private int copyLength(int symbol) {
        if (symbol < 4) {
            return symbol + 1;
        }
        int extra = (symbol - 2) >> 1;
        int offset = (2 + (symbol & 1)) << extra;
        return offset + readBits(extra) + 1;
    }

    private static int planeCodeToDistance(int xsize, int code) {
        if (code > 120) {
            return code - 120;
        }
        int d = CODE_TO_PLANE[code - 1];
        int dist = (d >> 4) * xsize + 8 - (d & 0xf);
        return Math.max(dist, 1);
    }

    private void decodePixels(int[] data, int xsize, int ysize, int[][][] groups, int[] huffmanImage, int bits,
            int huffmanXsize, int cacheBits) {
        int[] cache = cacheBits > 0 ? new int[1 << cacheBits] : null;
        int cacheShift = 32 - cacheBits;
        int lastCached = 0;
        int total = data.length;
        int p = 0;
        int mask = huffmanImage == null ? -1 : (1 << bits) - 1;
        int[][] group = groups[0];
        boolean refresh = true;
        while (p < total) {
            int x = p % xsize;
            if (huffmanImage != null && (refresh || (x & mask) == 0)) {
                int y = p / xsize;
                group = groups[huffmanImage[(y >> bits) * huffmanXsize + (x >> bits)]];
            }
            refresh = false;
            int code = readSymbol(group[0]);
            if (eos()) {
                break;
            }
            if (code < NUM_LITERAL_CODES) {
                int red = readSymbol(group[1]);
                int blue = readSymbol(group[2]);
                int alpha = readSymbol(group[3]);
                if (eos()) {
                    break;
                }
                data[p++] = alpha << 24 | red << 16 | code << 8 | blue;
            } else if (code < NUM_LITERAL_CODES + NUM_LENGTH_CODES) {
                int length = copyLength(code - NUM_LITERAL_CODES);
                int distSymbol = readSymbol(group[4]);
                int dist = planeCodeToDistance(xsize, copyLength(distSymbol));
                if (eos()) {
                    break;
                }
                if (p < dist || total - p < length) {
                    throw new WebpException("VP8L back-reference outside the image");
                }
                for (int i = 0; i < length; i++, p++) {
                    data[p] = data[p - dist];
                }
                refresh = true;
            } else {
                int key = code - (NUM_LITERAL_CODES + NUM_LENGTH_CODES);
                if (cache == null) {
                    throw new WebpException("VP8L colour cache code without a cache");
                }
                while (lastCached < p) {
                    int c = data[lastCached++];
                    cache[(0x1e35a7bd * c) >>> cacheShift] = c;
                }
                data[p++] = cache[key];
            }
            if (cache != null) {
                while (lastCached < p) {
                    int c = data[lastCached++];
                    cache[(0x1e35a7bd * c) >>> cacheShift] = c;
                }
            }
        }
        if (p < total || eos() && !(eightBitAlpha && p == total)) {
            throw new WebpException("truncated VP8L data");
        }
    }

    private static int addPixels(int a, int b) {
        int ag = (a & 0xff00ff00) + (b & 0xff00ff00);
        int rb = (a & 0x00ff00ff) + (b & 0x00ff00ff);
        return (ag & 0xff00ff00) | (rb & 0x00ff00ff);
    }

    private static int average2(int a, int b) {
        return (((a ^ b) & 0xfefefefe) >>> 1) + (a & b);
    }

    private static int clip255(int v) {
        return v < 0 ? 0 : Math.min(v, 255);
    }

    private static int sub3(int a, int b, int c) {
        return Math.abs(b - c) - Math.abs(a - c);
    }

    private static int select(int t, int l, int tl) {
        int s = sub3(t >>> 24, l >>> 24, tl >>> 24) + sub3((t >> 16) & 0xff, (l >> 16) & 0xff, (tl >> 16) & 0xff)
                + sub3((t >> 8) & 0xff, (l >> 8) & 0xff, (tl >> 8) & 0xff) + sub3(t & 0xff, l & 0xff, tl & 0xff);
        return s <= 0 ? t : l;
    }

    private static int addSubtractFull(int a, int b, int c) {
        int r = 0;
        for (int sh = 0; sh < 32; sh += 8) {
            r |= clip255(((a >>> sh) & 0xff) + ((b >>> sh) & 0xff) - ((c >>> sh) & 0xff)) << sh;
        }
        return r;
    }

    private static int addSubtractHalf(int ave, int c) {
        int r = 0;
        for (int sh = 0; sh < 32; sh += 8) {
            int a = (ave >>> sh) & 0xff;
            int b = (c >>> sh) & 0xff;
            r |= clip255(a + (a - b) / 2) << sh;
        }
        return r;
    }

    private static int predict(int mode, int[] d, int i, int width) {
        int l = d[i - 1];
        int t = d[i - width];
        switch (mode) {
            case 1:
                return l;
            case 2:
                return t;
            case 3:
                return d[i - width + 1];
            case 4:
                return d[i - width - 1];
            case 5:
                return average2(average2(l, d[i - width + 1]), t);
            case 6:
                return average2(l, d[i - width - 1]);
            case 7:
                return average2(l, t);
            case 8:
                return average2(d[i - width - 1], t);
            case 9:
                return average2(t, d[i - width + 1]);
            case 10:
                return average2(average2(l, d[i - width - 1]), average2(t, d[i - width + 1]));
            case 11:
                return select(t, l, d[i - width - 1]);
            case 12:
                return addSubtractFull(l, t, d[i - width - 1]);
            case 13:
                return addSubtractHalf(average2(l, t), d[i - width - 1]);
            default:
                return 0xff000000;
        }
    }

    private int[] inverseTransform(int t, int[] in, int ysize) {
        int width = transformXsize[t];
        int bits = transformBits[t];
        int[] td = transformData[t];
        switch (transformType[t]) {
            case 0 -> {
                in[0] = addPixels(in[0], 0xff000000);
                for (int x = 1; x < width; x++) {
                    in[x] = addPixels(in[x], in[x - 1]);
                }
                int tilesPerRow = subSample(width, bits);
                for (int y = 1; y < ysize; y++) {
                    int row = y * width;
                    in[row] = addPixels(in[row], in[row - width]);
                    int tileRow = (y >> bits) * tilesPerRow;
                    for (int x = 1; x < width; x++) {
                        int mode = (td[tileRow + (x >> bits)] >> 8) & 0xf;
                        in[row + x] = addPixels(in[row + x], predict(mode, in, row + x, width));
                    }
                }
                return in;
            }
            case 1 -> {
                int tilesPerRow = subSample(width, bits);
                for (int y = 0; y < ysize; y++) {
                    int row = y * width;
                    int tileRow = (y >> bits) * tilesPerRow;
                    for (int x = 0; x < width; x++) {
                        int m = td[tileRow + (x >> bits)];
                        int g2r = (byte) m;
                        int g2b = (byte) (m >> 8);
                        int r2b = (byte) (m >> 16);
                        int argb = in[row + x];
                        int green = (byte) (argb >> 8);
                        int red = (argb >> 16) & 0xff;
                        int blue = argb & 0xff;
                        red = (red + ((g2r * green) >> 5)) & 0xff;
                        blue += (g2b * green) >> 5;
                        blue += (r2b * (byte) red) >> 5;
                        in[row + x] = (argb & 0xff00ff00) | red << 16 | (blue & 0xff);
                    }
                }
                return in;
            }
            case 2 -> {
                for (int i = 0; i < in.length; i++) {
                    int argb = in[i];
                    int green = (argb >> 8) & 0xff;
                    int rb = (argb & 0x00ff00ff) + (green << 16 | green);
                    in[i] = (argb & 0xff00ff00) | (rb & 0x00ff00ff);
                }
                return in;
            }
            default -> {
                int outWidth = width;
                int packedWidth = subSample(width, bits);
                int[] out = bits == 0 ? in : new int[Math.multiplyExact(outWidth, ysize)];
                int bitsPerPixel = 8 >> bits;
                int pixMask = (1 << bitsPerPixel) - 1;
                int perByte = (1 << bits) - 1;
                for (int y = 0; y < ysize; y++) {
                    int src = y * packedWidth;
                    int dst = y * outWidth;
                    int packed = 0;
                    for (int x = 0; x < outWidth; x++) {
                        if ((x & perByte) == 0) {
                            packed = (in[src++] >> 8) & 0xff;
                        }
                        out[dst + x] = td[packed & pixMask];
                        packed >>= bitsPerPixel;
                    }
                }
                return out;
            }
        }
    }
}

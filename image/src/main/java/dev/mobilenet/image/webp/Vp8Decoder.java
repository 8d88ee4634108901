package dev.mobilenet.image.webp;

import static dev.mobilenet.image.webp.Vp8Tables.AC_TABLE;
import static dev.mobilenet.image.webp.Vp8Tables.BMODES_PROBA;
import static dev.mobilenet.image.webp.Vp8Tables.COEFF_PROBA0;
import static dev.mobilenet.image.webp.Vp8Tables.COEFF_UPDATE_PROBA;
import static dev.mobilenet.image.webp.Vp8Tables.DC_TABLE;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * A VP8 key frame (RFC 6386) decoded to Y, U and V planes the way libwebp 1.2.4 decodes it: header and
 * partitions checked as libwebp checks them, prediction from unfiltered neighbours (127 above the first row, 129
 * left of the first column), the top-right of 4x4 blocks in the rightmost macroblock copied from the last pixel
 * above, coefficients stored as 16-bit values, the WHT and DCT in libwebp's integer arithmetic, and the simple or
 * normal loop filter with its per-segment and per-mode levels, applied in macroblock order after each row.
 *
 * <p>The planes cover whole macroblocks; the picture is their top-left {@code width x height}.
 */
final class Vp8Decoder {
    static final int BPS = 32;
    private static final int Y_OFF = BPS + 8;
    private static final int U_OFF = Y_OFF + BPS * 16 + BPS;
    private static final int V_OFF = U_OFF + 16;
    private static final int WORK_SIZE = BPS * 17 + BPS * 9;

    private static final int DC_PRED = 0;
    private static final int TM_PRED = 1;
    private static final int V_PRED = 2;
    private static final int H_PRED = 3;
    private static final int DC_NOTOP = 4;
    private static final int DC_NOLEFT = 5;
    private static final int DC_NOTOPLEFT = 6;

    private static final int[] Y_MODES_INTRA4 = {0, 1, -1, 2, -2, 3, 4, 6, -3, 5, -4, -5, -6, 7, -7, 8, -8, -9};
    private static final int[] BANDS = {0, 1, 2, 3, 6, 4, 5, 6, 6, 6, 6, 6, 6, 6, 6, 7, 0};
    private static final int[] ZIGZAG = {0, 1, 4, 8, 5, 2, 3, 6, 9, 12, 13, 10, 7, 11, 14, 15};
    private static final int[][] CAT_PROBAS = {{173, 148, 140}, {176, 155, 140, 135}, {180, 157, 141, 134, 130},
            {254, 254, 243, 230, 196, 177, 153, 140, 133, 130, 129}};

    final int width;
    final int height;
    final int mbW;
    final int mbH;
    /** Macroblock rows the planes hold at once (fewer for shorter pictures). */
    static final int RING = 6;
    /** Rows above the first ring slot: the last rows of the last slot while the first slot's top edge is filtered. */
    static final int GUARD = 4;
    /**
     * Planes of {@code mbW * 16} (luma) and {@code mbW * 8} (chroma) bytes per row, allocated by the thread that
     * reconstructs row 0, so that with a helper thread the caller parses meanwhile. They hold {@link #ringRows}
     * macroblock rows as a ring after {@link #GUARD} rows: macroblock row {@code r} in slot {@code r % ringRows}, the
     * slots in order, so that a slot's rows above are the previous slot's except in the first slot, whose are the
     * guard rows, copied from the last slot before its top edge is filtered and back after. {@link #lumaRow} and
     * {@link #chromaRow} say where a picture row is; a macroblock row's slot is free for the row {@code ringRows}
     * below once every output unit that reads it has been converted ({@link YuvToRgb#unitsReading}).
     */
    byte[] y;
    byte[] u;
    byte[] v;
    final int yStride;
    final int uvStride;
    final int ringRows;

    private final Vp8BoolReader br;
    private final Vp8BoolReader[] parts;
    // segment header
    private boolean useSegment;
    private boolean updateMap;
    private boolean absoluteDelta = true;
    private final int[] segQuant = new int[4];
    private final int[] segFilter = new int[4];
    private final int[] segProba = {255, 255, 255};
    // filter header
    private boolean simple;
    private int level;
    private int sharpness;
    private boolean useLfDelta;
    private final int[] refLfDelta = new int[4];
    private final int[] modeLfDelta = new int[4];
    private int filterType;
    // quantizers per segment: y1 dc, y1 ac, y2 dc, y2 ac, uv dc, uv ac
    private final int[][] dq = new int[4][6];
    /**
     * Token probabilities, flat: type t, coefficient index n (0..16, bands already applied) and context c start at
     * {@code t * TYPE_STRIDE + n * N_STRIDE + c * 11}.
     */
    private final int[] proba = new int[4 * TYPE_STRIDE];
    private static final int N_STRIDE = 3 * 11;
    private static final int TYPE_STRIDE = 17 * N_STRIDE;
    private boolean useSkipProba;
    private int skipProba;
    // filter strengths [segment][i4x4]: limit, ilevel, hev threshold
    private final int[][][] fstrength = new int[4][2][3];

    /** Parses the frame header and partitions of a VP8 payload; throws {@link WebpException} like libwebp. */
    Vp8Decoder(byte[] data, int off, int len) {
        if (len < 10) {
            throw new WebpException("truncated VP8 frame header (" + len + " bytes)");
        }
        int bits = (data[off] & 0xff) | (data[off + 1] & 0xff) << 8 | (data[off + 2] & 0xff) << 16;
        boolean keyFrame = (bits & 1) == 0;
        int profile = (bits >> 1) & 7;
        boolean show = ((bits >> 4) & 1) == 1;
        int partitionLength = bits >>> 5;
        if (!keyFrame) {
            throw new WebpException("VP8 frame is not a key frame");
        }
        if (profile > 3) {
            throw new WebpException("VP8 profile " + profile + " is not 0..3");
        }
        if (!show) {
            throw new WebpException("VP8 frame is not displayable");
        }
        if ((data[off + 3] & 0xff) != 0x9d || (data[off + 4] & 0xff) != 0x01 || (data[off + 5] & 0xff) != 0x2a) {
            throw new WebpException("bad VP8 start code");
        }
        width = ((data[off + 7] & 0xff) << 8 | (data[off + 6] & 0xff)) & 0x3fff;
        height = ((data[off + 9] & 0xff) << 8 | (data[off + 8] & 0xff)) & 0x3fff;
        if (width == 0 || height == 0) {
            throw new WebpException("VP8 frame of size " + width + "x" + height);
        }
        int p = off + 10;
        int left = len - 10;
        if (partitionLength > left) {
            throw new WebpException("VP8 first partition of " + partitionLength + " bytes, only " + left
                    + " bytes left");
        }
        mbW = (width + 15) >> 4;
        mbH = (height + 15) >> 4;
        br = new Vp8BoolReader(data, p, p + partitionLength);
        p += partitionLength;
        left -= partitionLength;
        br.flag(); // colour space
        br.flag(); // clamping type: libwebp always clamps
        parseSegmentHeader();
        if (br.eof) {
            throw new WebpException("truncated VP8 segment header");
        }
        parseFilterHeader();
        if (br.eof) {
            throw new WebpException("truncated VP8 filter header");
        }
        int lastPart = (1 << br.literal(2)) - 1;
        if (left < 3 * lastPart) {
            throw new WebpException("truncated VP8 partition table");
        }
        parts = new Vp8BoolReader[lastPart + 1];
        int partStart = p + lastPart * 3;
        int sizeLeft = left - lastPart * 3;
        for (int i = 0; i < lastPart; i++) {
            int sz = p + i * 3;
            int psize = (data[sz] & 0xff) | (data[sz + 1] & 0xff) << 8 | (data[sz + 2] & 0xff) << 16;
            psize = Math.min(psize, sizeLeft);
            parts[i] = new Vp8BoolReader(data, partStart, partStart + psize);
            partStart += psize;
            sizeLeft -= psize;
        }
        parts[lastPart] = new Vp8BoolReader(data, partStart, partStart + sizeLeft);
        if (sizeLeft <= 0) {
            throw new WebpException("VP8 token partitions are empty (truncated data)");
        }
        parseQuant();
        br.flag(); // refresh entropy probs: ignored for a single key frame
        parseProba();
        precomputeFilterStrengths();
        yStride = mbW * 16;
        uvStride = mbW * 8;
        ringRows = Math.min(RING, mbH);
    }

    /** Where luma row {@code row} of the picture starts in {@link #y}, while its macroblock row is in the ring. */
    int lumaRow(int row) {
        return (GUARD + (row >> 4) % ringRows * 16 + (row & 15)) * yStride;
    }

    /** Where chroma row {@code row} starts in {@link #u} and {@link #v}, as {@link #lumaRow}. */
    int chromaRow(int row) {
        return (GUARD + (row >> 3) % ringRows * 8 + (row & 7)) * uvStride;
    }

    private void parseSegmentHeader() {
        useSegment = br.flag();
        if (useSegment) {
            updateMap = br.flag();
            if (br.flag()) {
                absoluteDelta = br.flag();
                for (int s = 0; s < 4; s++) {
                    segQuant[s] = br.flag() ? br.signedLiteral(7) : 0;
                }
                for (int s = 0; s < 4; s++) {
                    segFilter[s] = br.flag() ? br.signedLiteral(6) : 0;
                }
            }
            if (updateMap) {
                for (int s = 0; s < 3; s++) {
                    segProba[s] = br.flag() ? br.literal(8) : 255;
                }
            }
        }
    }

    private void parseFilterHeader() {
        simple = br.flag();
        level = br.literal(6);
        sharpness = br.literal(3);
        useLfDelta = br.flag();
        if (useLfDelta && br.flag()) {
            for (int i = 0; i < 4; i++) {
                if (br.flag()) {
                    refLfDelta[i] = br.signedLiteral(6);
                }
            }
            for (int i = 0; i < 4; i++) {
                if (br.flag()) {
                    modeLfDelta[i] = br.signedLiteral(6);
                }
            }
        }
        filterType = level == 0 ? 0 : simple ? 1 : 2;
    }

    private static int clip(int v, int max) {
        return v < 0 ? 0 : Math.min(v, max);
    }

    private void parseQuant() {
        int baseQ0 = br.literal(7);
        int dqy1Dc = br.flag() ? br.signedLiteral(4) : 0;
        int dqy2Dc = br.flag() ? br.signedLiteral(4) : 0;
        int dqy2Ac = br.flag() ? br.signedLiteral(4) : 0;
        int dquvDc = br.flag() ? br.signedLiteral(4) : 0;
        int dquvAc = br.flag() ? br.signedLiteral(4) : 0;
        for (int i = 0; i < 4; i++) {
            int q;
            if (useSegment) {
                q = segQuant[i];
                if (!absoluteDelta) {
                    q += baseQ0;
                }
            } else if (i > 0) {
                dq[i] = dq[0];
                continue;
            } else {
                q = baseQ0;
            }
            int[] m = dq[i];
            m[0] = DC_TABLE[clip(q + dqy1Dc, 127)];
            m[1] = AC_TABLE[clip(q, 127)];
            m[2] = DC_TABLE[clip(q + dqy2Dc, 127)] * 2;
            m[3] = Math.max(8, (AC_TABLE[clip(q + dqy2Ac, 127)] * 101581) >> 16);
            m[4] = DC_TABLE[clip(q + dquvDc, 117)];
            m[5] = AC_TABLE[clip(q + dquvAc, 127)];
        }
    }

    private void parseProba() {
        for (int t = 0; t < 4; t++) {
            int[][][] bands = new int[8][3][11];
            for (int b = 0; b < 8; b++) {
                for (int c = 0; c < 3; c++) {
                    for (int i = 0; i < 11; i++) {
                        int k = ((t * 8 + b) * 3 + c) * 11 + i;
                        bands[b][c][i] = br.bit(COEFF_UPDATE_PROBA[k]) == 1 ? br.literal(8) : COEFF_PROBA0[k];
                    }
                }
            }
            for (int n = 0; n < 17; n++) {
                for (int c = 0; c < 3; c++) {
                    System.arraycopy(bands[BANDS[n]][c], 0, proba, t * TYPE_STRIDE + n * N_STRIDE + c * 11, 11);
                }
            }
        }
        useSkipProba = br.flag();
        if (useSkipProba) {
            skipProba = br.literal(8);
        }
    }

    private void precomputeFilterStrengths() {
        if (filterType == 0) {
            return;
        }
        for (int s = 0; s < 4; s++) {
            int base;
            if (useSegment) {
                base = segFilter[s];
                if (!absoluteDelta) {
                    base += level;
                }
            } else {
                base = level;
            }
            for (int i4 = 0; i4 <= 1; i4++) {
                int lvl = base;
                if (useLfDelta) {
                    lvl += refLfDelta[0];
                    if (i4 == 1) {
                        lvl += modeLfDelta[0];
                    }
                }
                lvl = clip(lvl, 63);
                int[] f = fstrength[s][i4];
                if (lvl > 0) {
                    int ilevel = lvl;
                    if (sharpness > 0) {
                        ilevel >>= sharpness > 4 ? 2 : 1;
                        ilevel = Math.min(ilevel, 9 - sharpness);
                    }
                    ilevel = Math.max(ilevel, 1);
                    f[0] = 2 * lvl + ilevel;
                    f[1] = ilevel;
                    f[2] = lvl >= 40 ? 2 : lvl >= 15 ? 1 : 0;
                } else {
                    f[0] = 0;
                }
            }
        }
    }

    // per-frame decoding state, kept between rows
    private int[] intraT;
    private final int[] intraL = new int[4];
    /**
     * How many parsed rows {@link #parseRow} may hold for {@link #reconstructRow}: the per-macroblock arrays below
     * have {@code slots * mbW} entries, row {@code r} parsed into slot {@code r % slots}.
     */
    private int slots = 1;
    private int[] segment;
    private boolean[] skip;
    private boolean[] isI4;
    /** 16 intra modes per macroblock (one for a 16x16 prediction). */
    private int[] modes;
    private int[] uvMode;
    /** Per macroblock: the luma transform codes in bits 0-31, the chroma codes in bits 32-47. */
    private long[] nzBits;
    /**
     * Per macroblock: 384 dequantised coefficients (16 luma, 4 U, 4 V blocks of 16); all zero before {@link #parseRow}
     * writes a slot's row, which {@link #reconstructRow} zeroes again after reading it.
     */
    private short[] rowCoeffs;
    private int[] nzTop;
    private int[] nzDcTop;
    /** Per macroblock of the frame: limit, interior limit, hev threshold and inner-edge flag, a byte each. */
    private int[] filterInfo;
    private byte[] work;
    private byte[] topY;
    private byte[] topU;
    private byte[] topV;
    private final short[] dc = new short[16];
    private final int[] nzState = new int[2];
    private final int[] whtScratch = new int[16];

    /** Lets {@link #parseRow} run up to {@code n} rows ahead of {@link #reconstructRow}; before the first row. */
    void rowSlots(int n) {
        slots = n;
    }

    /**
     * Parses and reconstructs macroblock row {@code mbY} (rows in order, from 0) into the planes, unfiltered;
     * throws {@link WebpException} where libwebp reports an error. Writes only that row's pixels, so the row
     * above may be filtered meanwhile.
     */
    void decodeRow(int mbY) {
        parseRow(mbY);
        reconstructRow(mbY);
    }

    /**
     * Parses macroblock row {@code mbY} (rows in order, from 0): its modes and coefficients into its slot, its
     * filter strengths; throws {@link WebpException} where libwebp reports an error. Touches no pixel, so it may
     * run on another thread than {@link #reconstructRow} and {@link #filterRow} once the slot's previous row is
     * reconstructed.
     */
    void parseRow(int mbY) {
        parseModes(mbY);
        parseTokens(mbY);
    }

    /**
     * Parses macroblock row {@code mbY}'s segments, skip flags and prediction modes (the first partition, rows in
     * order, from 0) into its slot; throws {@link WebpException} when the partition ends within the row. The first
     * partition is a stream of its own, so a row's modes may be parsed on another thread, ahead of the tokens of
     * the rows before it, once the slot's previous row is reconstructed. Row 0 allocates the row slots and the
     * reconstruction's state, on whichever thread parses it.
     */
    void parseModes(int mbY) {
        if (mbY == 0) {
            intraT = new int[4 * mbW];
            segment = new int[slots * mbW];
            skip = new boolean[slots * mbW];
            isI4 = new boolean[slots * mbW];
            modes = new int[slots * 16 * mbW];
            uvMode = new int[slots * mbW];
            nzBits = new long[slots * mbW];
            rowCoeffs = new short[slots * mbW * 384];
            nzTop = new int[mbW];
            nzDcTop = new int[mbW];
            filterInfo = new int[mbW * mbH];
            work = new byte[WORK_SIZE];
            topY = new byte[16 * mbW];
            topU = new byte[8 * mbW];
            topV = new byte[8 * mbW];
        }
        java.util.Arrays.fill(intraL, 0);
        int base = (mbY % slots) * mbW;
        for (int mbX = 0; mbX < mbW; mbX++) {
            parseIntraMode(mbX, base + mbX, intraT, intraL);
        }
        if (br.eof) {
            throw new WebpException("premature end of the VP8 first partition");
        }
    }

    /**
     * Parses macroblock row {@code mbY}'s coefficients (its token partition, rows in order, after the row's
     * {@link #parseModes}) into its slot, and its filter strengths; throws {@link WebpException} when the partition
     * ends within the row.
     */
    void parseTokens(int mbY) {
        int base = (mbY % slots) * mbW;
        Vp8BoolReader tokens = parts[mbY & (parts.length - 1)];
        int nzLeft = 0;
        int nzDcLeft = 0;
        for (int mbX = 0; mbX < mbW; mbX++) {
            int mb = base + mbX;
            boolean skipped = useSkipProba && skip[mb];
            int nonZeroY = 0;
            int nonZeroUv = 0;
            if (!skipped) {
                nzState[0] = nzTop[mbX];
                nzState[1] = nzLeft;
                int dcCtx = nzDcTop[mbX] + nzDcLeft;
                long nz = parseResiduals(tokens, dq[segment[mb]], isI4[mb], dcCtx, nzState, rowCoeffs, 384 * mb, dc);
                nonZeroY = (int) nz;
                nonZeroUv = (int) (nz >>> 32) & 0xffff;
                int dcNz = (int) (nz >>> 48) & 1;
                nzTop[mbX] = nzState[0];
                nzLeft = nzState[1];
                if (!isI4[mb]) {
                    nzDcTop[mbX] = dcNz;
                    nzDcLeft = dcNz;
                }
                skipped = (nonZeroY | nonZeroUv) == 0;
            } else {
                nzTop[mbX] = 0;
                nzLeft = 0;
                if (!isI4[mb]) {
                    nzDcTop[mbX] = 0;
                    nzDcLeft = 0;
                }
            }
            if (tokens.eof) {
                throw new WebpException("premature end of VP8 token partition " + (mbY & (parts.length - 1)));
            }
            if (filterType > 0) {
                int[] f = fstrength[segment[mb]][isI4[mb] ? 1 : 0];
                filterInfo[mbY * mbW + mbX] = f[0] | f[1] << 8 | f[2] << 16 | (isI4[mb] || !skipped ? 1 << 24 : 0);
            }
            nzBits[mb] = (nonZeroY & 0xffffffffL) | (long) nonZeroUv << 32;
        }
    }

    /**
     * Reconstructs macroblock row {@code mbY}, parsed by {@link #parseRow}, into the planes, unfiltered. Writes only
     * that row's pixels, so the row above may be filtered meanwhile.
     */
    void reconstructRow(int mbY) {
        if (mbY == 0) {
            y = new byte[yStride * (GUARD + 16 * ringRows)];
            u = new byte[uvStride * (GUARD + 8 * ringRows)];
            v = new byte[uvStride * (GUARD + 8 * ringRows)];
        }
        int base = (mbY % slots) * mbW;
        initRowEdges(work, mbY);
        for (int mbX = 0; mbX < mbW; mbX++) {
            int mb = base + mbX;
            long nz = nzBits[mb];
            reconstruct(work, mbX, mbY, isI4[mb], 16 * mb, uvMode[mb], 384 * mb, (int) nz, (int) (nz >>> 32));
            store(work, mbX, mbY);
            if (nz != 0) {
                // zeroed for the next row parsed into this slot here, where its lines are in this core's cache:
                // zeroed by the parsing thread, each line would first travel back from this core
                java.util.Arrays.fill(rowCoeffs, 384 * mb, 384 * mb + 384, (short) 0);
            }
        }
    }

    /**
     * Applies the loop filter to macroblock row {@code mbY}, after {@link #reconstructRow} of that row and
     * {@code filterRow} of the row above. Changes pixels of this row and up to three rows above it.
     */
    void filterRow(int mbY) {
        if (filterType > 0) {
            boolean wraps = mbY > 0 && mbY % ringRows == 0;
            if (wraps) {
                guard(true);
            }
            for (int mbX = 0; mbX < mbW; mbX++) {
                filterMacroblock(mbX, mbY, filterInfo[mbY * mbW + mbX]);
            }
            if (wraps) {
                guard(false);
            }
        }
    }

    /**
     * Copies the last slot's last {@link #GUARD} rows of each plane into the guard rows, or back the three of them
     * that a top edge changes (rows that other threads may be converting meanwhile are not rewritten).
     */
    private void guard(boolean in) {
        int last = 16 * ringRows;
        int lastUv = 8 * ringRows;
        if (in) {
            System.arraycopy(y, last * yStride, y, 0, GUARD * yStride);
            System.arraycopy(u, lastUv * uvStride, u, 0, GUARD * uvStride);
            System.arraycopy(v, lastUv * uvStride, v, 0, GUARD * uvStride);
        } else {
            System.arraycopy(y, yStride, y, (last + 1) * yStride, (GUARD - 1) * yStride);
            System.arraycopy(u, uvStride, u, (lastUv + 1) * uvStride, (GUARD - 1) * uvStride);
            System.arraycopy(v, uvStride, v, (lastUv + 1) * uvStride, (GUARD - 1) * uvStride);
        }
    }

    /** Macroblock {@code mbX}'s segment, skip flag and modes; {@code mb} is its index in the slot arrays. */
    private void parseIntraMode(int mbX, int mb, int[] top, int[] left) {
        if (updateMap) {
            segment[mb] = br.bit(segProba[0]) == 0 ? br.bit(segProba[1]) : br.bit(segProba[2]) + 2;
        } else {
            segment[mb] = 0;
        }
        if (useSkipProba) {
            skip[mb] = br.bit(skipProba) == 1;
        }
        boolean i4 = br.bit(145) == 0;
        isI4[mb] = i4;
        int t = 4 * mbX;
        if (!i4) {
            int ymode = br.bit(156) == 1 ? (br.bit(128) == 1 ? TM_PRED : H_PRED)
                    : (br.bit(163) == 1 ? V_PRED : DC_PRED);
            modes[16 * mb] = ymode;
            for (int i = 0; i < 4; i++) {
                top[t + i] = ymode;
                left[i] = ymode;
            }
        } else {
            int m = 16 * mb;
            for (int yy = 0; yy < 4; yy++) {
                int ymode = left[yy];
                for (int x = 0; x < 4; x++) {
                    int pb = (top[t + x] * 10 + ymode) * 9;
                    int i = Y_MODES_INTRA4[br.bit(BMODES_PROBA[pb])];
                    while (i > 0) {
                        i = Y_MODES_INTRA4[2 * i + br.bit(BMODES_PROBA[pb + i])];
                    }
                    ymode = -i;
                    top[t + x] = ymode;
                    modes[m++] = ymode;
                }
                left[yy] = ymode;
            }
        }
        uvMode[mb] = br.bit(142) == 0 ? DC_PRED : br.bit(114) == 0 ? V_PRED : br.bit(183) == 1 ? TM_PRED : H_PRED;
    }

    /**
     * Reads one macroblock's coefficients into {@code out} from {@code co} (16 luma, 4 U, 4 V blocks of 16,
     * dequantised, as 16-bit values). {@code nz} holds the top and left non-zero context bits in and out. Returns
     * the luma transform codes (2 bits per block) in bits 0-31, the chroma codes in bits 32-47 and whether the Y2
     * block had a non-zero coefficient in bit 48.
     */
    private long parseResiduals(Vp8BoolReader tb, int[] q, boolean i4, int dcCtx, int[] nz, short[] out, int co,
            short[] dc) {
        int ac;
        int first;
        long dcNz = 0;
        if (!i4) {
            java.util.Arrays.fill(dc, (short) 0);
            int p0 = TYPE_STRIDE + dcCtx * 11;
            int n = tb.bit(proba[p0]) == 0 ? 0 : coeffs(tb, proba, TYPE_STRIDE, p0, q[2], q[3], 0, dc, 0);
            dcNz = n > 0 ? 1 : 0;
            if (n > 1) {
                Vp8Transforms.wht(dc, out, co, whtScratch);
            } else {
                int dc0 = (dc[0] + 3) >> 3;
                for (int i = 0; i < 256; i += 16) {
                    out[co + i] = (short) dc0;
                }
            }
            first = 1;
            ac = 0;
        } else {
            first = 0;
            ac = 3 * TYPE_STRIDE;
        }
        int tnz = nz[0] & 0x0f;
        int lnz = nz[1] & 0x0f;
        int nonZeroY = 0;
        int dst = co;
        for (int yy = 0; yy < 4; yy++) {
            int l = lnz & 1;
            int nzCoeffs = 0;
            for (int x = 0; x < 4; x++) {
                int ctx = l + (tnz & 1);
                int p0 = ac + first * N_STRIDE + ctx * 11;
                int n = tb.bit(proba[p0]) == 0 ? first : coeffs(tb, proba, ac, p0, q[0], q[1], first, out, dst);
                l = n > first ? 1 : 0;
                tnz = (tnz >> 1) | (l << 7);
                nzCoeffs = nzCode(nzCoeffs, n, out[dst] != 0);
                dst += 16;
            }
            tnz >>= 4;
            lnz = (lnz >> 1) | (l << 7);
            nonZeroY = (nonZeroY << 8) | nzCoeffs;
        }
        int outTnz = tnz;
        int outLnz = lnz >> 4;
        int nonZeroUv = 0;
        for (int ch = 0; ch < 4; ch += 2) {
            int nzCoeffs = 0;
            tnz = nz[0] >> (4 + ch);
            lnz = nz[1] >> (4 + ch);
            for (int yy = 0; yy < 2; yy++) {
                int l = lnz & 1;
                for (int x = 0; x < 2; x++) {
                    int ctx = l + (tnz & 1);
                    int p0 = 2 * TYPE_STRIDE + ctx * 11;
                    int n = tb.bit(proba[p0]) == 0 ? 0
                            : coeffs(tb, proba, 2 * TYPE_STRIDE, p0, q[4], q[5], 0, out, dst);
                    l = n > 0 ? 1 : 0;
                    tnz = (tnz >> 1) | (l << 3);
                    nzCoeffs = nzCode(nzCoeffs, n, out[dst] != 0);
                    dst += 16;
                }
                tnz >>= 2;
                lnz = (lnz >> 1) | (l << 5);
            }
            nonZeroUv |= nzCoeffs << (4 * ch);
            outTnz |= (tnz << 4) << ch;
            outLnz |= (lnz & 0xf0) << ch;
        }
        nz[0] = outTnz;
        nz[1] = outLnz;
        return (nonZeroY & 0xffffffffL) | ((long) nonZeroUv << 32) | (dcNz << 48);
    }

    private static int nzCode(int nzCoeffs, int nz, boolean dcNz) {
        return (nzCoeffs << 2) | (nz > 3 ? 3 : nz > 1 ? 2 : dcNz ? 1 : 0);
    }

    /**
     * One block's tokens from coefficient {@code n}, whose end-of-block decision ({@code prob[p]}) the caller has
     * read as "more" (most blocks end at once, without this call); returns the index after the last non-zero
     * coefficient.
     */
    private static int coeffs(Vp8BoolReader tb, int[] prob, int type, int p, int dq0, int dq1, int n, short[] out,
            int off) {
        while (true) {
            while (tb.bit(prob[p + 1]) == 0) {
                p = type + ++n * N_STRIDE;
                if (n == 16) {
                    return 16;
                }
            }
            int v;
            if (tb.bit(prob[p + 2]) == 0) {
                v = 1;
                p = type + (n + 1) * N_STRIDE + 11;
            } else {
                v = largeValue(tb, prob, p);
                p = type + (n + 1) * N_STRIDE + 22;
            }
            out[off + ZIGZAG[n]] = (short) (tb.signed(v) * (n > 0 ? dq1 : dq0));
            if (++n == 16 || tb.bit(prob[p]) == 0) {
                return n;
            }
        }
    }

    private static int largeValue(Vp8BoolReader tb, int[] prob, int p) {
        int v;
        if (tb.bit(prob[p + 3]) == 0) {
            if (tb.bit(prob[p + 4]) == 0) {
                v = 2;
            } else {
                v = 3 + tb.bit(prob[p + 5]);
            }
        } else if (tb.bit(prob[p + 6]) == 0) {
            if (tb.bit(prob[p + 7]) == 0) {
                v = 5 + tb.bit(159);
            } else {
                v = 7 + 2 * tb.bit(165);
                v += tb.bit(145);
            }
        } else {
            int bit1 = tb.bit(prob[p + 8]);
            int bit0 = tb.bit(prob[p + 9 + bit1]);
            int cat = 2 * bit1 + bit0;
            v = 0;
            for (int pr : CAT_PROBAS[cat]) {
                v += v + tb.bit(pr);
            }
            v += 3 + (8 << cat);
        }
        return v;
    }

    /** The work area's left column and top row at the start of macroblock row {@code mbY}. */
    private static void initRowEdges(byte[] w, int mbY) {
        for (int j = 0; j < 16; j++) {
            w[Y_OFF + j * BPS - 1] = (byte) 129;
        }
        for (int j = 0; j < 8; j++) {
            w[U_OFF + j * BPS - 1] = (byte) 129;
            w[V_OFF + j * BPS - 1] = (byte) 129;
        }
        if (mbY > 0) {
            w[Y_OFF - 1 - BPS] = (byte) 129;
            w[U_OFF - 1 - BPS] = (byte) 129;
            w[V_OFF - 1 - BPS] = (byte) 129;
        } else {
            java.util.Arrays.fill(w, Y_OFF - BPS - 1, Y_OFF - BPS - 1 + 21, (byte) 127);
            java.util.Arrays.fill(w, U_OFF - BPS - 1, U_OFF - BPS - 1 + 9, (byte) 127);
            java.util.Arrays.fill(w, V_OFF - BPS - 1, V_OFF - BPS - 1 + 9, (byte) 127);
        }
    }

    private static final int[] SCAN = new int[16];

    static {
        for (int n = 0; n < 16; n++) {
            SCAN[n] = (n & 3) * 4 + (n >> 2) * 4 * BPS;
        }
    }

    private void reconstruct(byte[] w, int mbX, int mbY, boolean i4, int m, int uvMode, int co, int bitsY,
            int bitsUv) {
        short[] coeffs = rowCoeffs;
        if (mbX > 0) {
            for (int j = -1; j < 16; j++) {
                copy4(w, Y_OFF + j * BPS + 12, w, Y_OFF + j * BPS - 4);
            }
            for (int j = -1; j < 8; j++) {
                copy4(w, U_OFF + j * BPS + 4, w, U_OFF + j * BPS - 4);
                copy4(w, V_OFF + j * BPS + 4, w, V_OFF + j * BPS - 4);
            }
        }
        if (mbY > 0) {
            copy16(topY, 16 * mbX, w, Y_OFF - BPS);
            copy8(topU, 8 * mbX, w, U_OFF - BPS);
            copy8(topV, 8 * mbX, w, V_OFF - BPS);
        }
        if (i4) {
            int tr = Y_OFF - BPS + 16;
            if (mbY > 0) {
                if (mbX >= mbW - 1) {
                    byte last = topY[16 * mbX + 15];
                    w[tr] = last;
                    w[tr + 1] = last;
                    w[tr + 2] = last;
                    w[tr + 3] = last;
                } else {
                    copy4(topY, 16 * mbX + 16, w, tr);
                }
            }
            for (int r = 1; r <= 3; r++) {
                copy4(w, tr, w, tr + 4 * r * BPS);
            }
            int bits = bitsY;
            for (int n = 0; n < 16; n++, bits <<= 2) {
                int dst = Y_OFF + SCAN[n];
                Vp8Predict.luma4(w, dst, modes[m + n]);
                Vp8Transforms.transform(bits >>> 30, coeffs, co + n * 16, w, dst);
            }
        } else {
            Vp8Predict.luma16(w, Y_OFF, checkMode(mbX, mbY, modes[m]));
            Vp8Transforms.transformI16(bitsY, coeffs, co, w, Y_OFF);
        }
        int uvPred = checkMode(mbX, mbY, uvMode);
        Vp8Predict.chroma8(w, U_OFF, uvPred);
        Vp8Predict.chroma8(w, V_OFF, uvPred);
        Vp8Transforms.transformUv(bitsUv, coeffs, co + 256, w, U_OFF);
        Vp8Transforms.transformUv(bitsUv >> 8, coeffs, co + 320, w, V_OFF);
    }

    /**
     * Copies the macroblock reconstructed in {@code w} to the planes, and its bottom rows to the top context. Called
     * by {@link #reconstructRow} rather than at the end of {@link #reconstruct}: there, C2 often reached its inlining
     * budget ({@code NodeCountInliningCutoff}) just before these copies and left some of them, or the {@code Unsafe}
     * access inside a {@code VarHandle}, as a call per row copied, depending on what it had compiled first.
     */
    private void store(byte[] w, int mbX, int mbY) {
        if (mbY < mbH - 1) {
            copy16(w, Y_OFF + 15 * BPS, topY, 16 * mbX);
            copy8(w, U_OFF + 7 * BPS, topU, 8 * mbX);
            copy8(w, V_OFF + 7 * BPS, topV, 8 * mbX);
        }
        int yo = lumaRow(16 * mbY) + mbX * 16;
        for (int j = 0; j < 16; j++) {
            copy16(w, Y_OFF + j * BPS, y, yo + j * yStride);
        }
        int uo = chromaRow(8 * mbY) + mbX * 8;
        for (int j = 0; j < 8; j++) {
            copy8(w, U_OFF + j * BPS, u, uo + j * uvStride);
            copy8(w, V_OFF + j * BPS, v, uo + j * uvStride);
        }
    }

    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

    private static void copy4(byte[] src, int s, byte[] dst, int d) {
        INT.set(dst, d, (int) INT.get(src, s));
    }

    private static void copy8(byte[] src, int s, byte[] dst, int d) {
        LONG.set(dst, d, (long) LONG.get(src, s));
    }

    private static void copy16(byte[] src, int s, byte[] dst, int d) {
        LONG.set(dst, d, (long) LONG.get(src, s));
        LONG.set(dst, d + 8, (long) LONG.get(src, s + 8));
    }

    private static int checkMode(int mbX, int mbY, int mode) {
        if (mode == DC_PRED) {
            if (mbX == 0) {
                return mbY == 0 ? DC_NOTOPLEFT : DC_NOLEFT;
            }
            return mbY == 0 ? DC_NOTOP : DC_PRED;
        }
        return mode;
    }

    private final byte[] edgeScratch = new byte[Vp8EdgeKernels.SCRATCH];

    private void filterMacroblock(int mbX, int mbY, int info) {
        int limit = info & 0xff;
        if (limit == 0) {
            return;
        }
        int ilevel = (info >> 8) & 0xff;
        int hev = (info >> 16) & 0xff;
        boolean inner = (info >> 24) != 0;
        int yo = lumaRow(16 * mbY) + mbX * 16;
        if (filterType == 1) {
            if (mbX > 0) {
                Vp8LoopFilter.simpleH16(y, yo, yStride, limit + 4);
            }
            if (inner) {
                Vp8LoopFilter.simpleH16i(y, yo, yStride, limit);
            }
            if (mbY > 0) {
                Vp8LoopFilter.simpleV16(y, yo, yStride, limit + 4);
            }
            if (inner) {
                Vp8LoopFilter.simpleV16i(y, yo, yStride, limit);
            }
        } else {
            int uo = chromaRow(8 * mbY) + mbX * 8;
            Vp8LoopFilter.yColumns(y, yo, yStride, mbX > 0, inner, limit, ilevel, hev, edgeScratch);
            Vp8LoopFilter.uvColumns(u, v, uo, uvStride, mbX > 0, inner, limit, ilevel, hev, edgeScratch);
            if (mbY > 0) {
                Vp8LoopFilter.v16(y, yo, yStride, limit + 4, ilevel, hev);
            }
            if (inner) {
                Vp8LoopFilter.v16i(y, yo, yStride, limit, ilevel, hev);
            }
            Vp8LoopFilter.uvRows(u, v, uo, uvStride, mbY > 0, inner, limit, ilevel, hev, edgeScratch);
        }
    }
}

package dev.mobilenet.image.webp;

import static jdk.incubator.vector.VectorOperators.ASHR;
import static jdk.incubator.vector.VectorOperators.B2S;
import static jdk.incubator.vector.VectorOperators.LSHL;
import static jdk.incubator.vector.VectorOperators.LSHR;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * The Vector API {@link Vp8UpsampleKernels}: 16 chroma columns at a time in the 16-bit lanes of a 256-bit vector,
 * in blocks of up to 256 columns, three flat loops per block: {@code upsample} writes the four pixel sets' U and V
 * (odd and even pixel of the top and bottom rows) to scratch rows of shorts; {@code convert}, once per output row,
 * loads the luma pairs {@code (2x - 1, 2x)} as 16-bit lanes split into their low (odd pixel) and high (even pixel)
 * bytes, converts, and writes each column's six bytes as three 16-bit words (red | green of the odd pixel, blue of
 * the odd | red of the even, green | blue of the even); {@code store} interleaves the three word rows into 16-byte
 * blocks, one byte shuffle per word row and two blends per block. A run's last step (and a block shorter than 16
 * columns) starts earlier, overlapping the step before, and writes the same bytes again.
 *
 * <p>The conversion's products by 19077, 26149, 6419, 13320 and 33050 followed by {@code >> 8} are split as
 * {@code a * 256 + b}: {@code (v * (a * 256 + b)) >> 8 == a * v + ((b * v) >> 8)} for every byte {@code v}, each
 * term within 16 bits (JDK 17's API has no high-half multiply); each channel's sum then lies in the signed 16-bit
 * range, except blue's, which is taken 17,728 higher (an unsigned 16-bit value, shifted logically) and brought
 * back after the shift. {@code Vp8UpsampleTwinTest} checks every (Y, U, V) triple.
 *
 * <p>Why three loops and not one: the fused loop (about 350 Vector API calls) passes C2's
 * {@code NodeCountInliningCutoff}, after which its vectors are boxed (1 GB of garbage per 4000x3000 picture on JDK
 * 17); conversion and store in one loop (about 130 calls) measured no faster than apart. The
 * logical shifts take {@code int} counts: {@code lanewise(LSHR, (short) 8)} boxed on JDK 17 in an isolated test.
 */
final class VectorVp8Upsample implements Vp8UpsampleKernels {
    private static final VectorSpecies<Short> S = ShortVector.SPECIES_256;
    private static final VectorSpecies<Byte> B16 = ByteVector.SPECIES_128;
    private static final VectorSpecies<Byte> B32 = ByteVector.SPECIES_256;
    private static final VectorSpecies<Short> S8 = ShortVector.SPECIES_128;
    /** Chroma columns per step. */
    private static final int COLS = 16;
    /** Chroma columns per block: eight scratch rows of this many shorts stay in the first-level cache. */
    private static final int BLOCK = 256;
    /** Where the three rows of words go in the scratch, after the eight chroma rows. */
    private static final int WORDS = 8 * BLOCK;
    private static final ThreadLocal<short[]> SCRATCH = ThreadLocal.withInitial(() -> new short[WORDS + 3 * BLOCK]);
    /**
     * Output block {@code k} (bytes {@code 16k} to {@code 16k + 15} of eight columns' 48) from the word vectors of
     * those columns: {@code W*_k} select the bytes of words 0, 1 and 2, {@code M1_k} and {@code M2_k} where words 1
     * and 2 go.
     */
    private static final VectorShuffle<Byte> W0_0 = words(0, 0);
    private static final VectorShuffle<Byte> W1_0 = words(0, 1);
    private static final VectorShuffle<Byte> W2_0 = words(0, 2);
    private static final VectorShuffle<Byte> W0_1 = words(1, 0);
    private static final VectorShuffle<Byte> W1_1 = words(1, 1);
    private static final VectorShuffle<Byte> W2_1 = words(1, 2);
    private static final VectorShuffle<Byte> W0_2 = words(2, 0);
    private static final VectorShuffle<Byte> W1_2 = words(2, 1);
    private static final VectorShuffle<Byte> W2_2 = words(2, 2);
    private static final VectorMask<Byte> M1_0 = from(0, 1);
    private static final VectorMask<Byte> M2_0 = from(0, 2);
    private static final VectorMask<Byte> M1_1 = from(1, 1);
    private static final VectorMask<Byte> M2_1 = from(1, 2);
    private static final VectorMask<Byte> M1_2 = from(2, 1);
    private static final VectorMask<Byte> M2_2 = from(2, 2);

    /** Usable when 16 shorts fit a preferred vector (AVX2 and wider). */
    static boolean supported() {
        return ShortVector.SPECIES_PREFERRED.length() >= COLS;
    }

    /** Byte {@code p} of block {@code k}: word {@code q = 8k + p / 2} of the 24, column {@code q / 3}. */
    private static VectorShuffle<Byte> words(int k, int word) {
        int[] index = new int[16];
        for (int p = 0; p < 16; p++) {
            int q = 8 * k + p / 2;
            index[p] = q % 3 == word ? 2 * (q / 3) + (p & 1) : 0;
        }
        return VectorShuffle.fromArray(B16, index, 0);
    }

    private static VectorMask<Byte> from(int k, int word) {
        boolean[] bits = new boolean[16];
        for (int p = 0; p < 16; p++) {
            bits[p] = (8 * k + p / 2) % 3 == word;
        }
        return VectorMask.fromArray(B16, bits, 0);
    }

    @Override
    public void pairs(byte[] y, int topY, int botY, byte[] u, byte[] v, int cTop, int cCur, int x0, int x1,
            byte[] dst, int topDst, int botDst) {
        if (x1 - x0 < COLS) {
            ScalarVp8Upsample.INSTANCE.pairs(y, topY, botY, u, v, cTop, cCur, x0, x1, dst, topDst, botDst);
            return;
        }
        short[] s = SCRATCH.get();
        for (int x = x0; x < x1; x += BLOCK) {
            int n = Math.min(BLOCK, x1 - x);
            if (n < COLS) {
                // a short last block starts earlier, overlapping the one before: it writes the same bytes again
                x = x1 - COLS;
                n = COLS;
            }
            upsample(u, v, cTop, cCur, x, n, s);
            convert(y, topY, x, n, s, 0);
            store(s, n, dst, topDst + (2 * x - 1) * 3);
            if (botY >= 0) {
                convert(y, botY, x, n, s, 4 * BLOCK);
                store(s, n, dst, botDst + (2 * x - 1) * 3);
            }
        }
    }

    /**
     * The upsampled chroma of columns {@code [x, x + n)}, {@code n >= 16}, into the scratch rows: U and V of the
     * top row's odd and even pixels, then of the bottom row's, {@link #BLOCK} shorts each.
     */
    private static void upsample(byte[] u, byte[] v, int cTop, int cCur, int x, int n, short[] s) {
        for (int k = 0; k < n; k += COLS) {
            // the last step ends at n, overlapping the one before
            int i = Math.min(k, n - COLS);
            int c = x + i;
            ShortVector tlU = ((ShortVector) ByteVector.fromArray(B16, u, cTop + c - 1).convertShape(B2S, S, 0))
                    .and((short) 0xff);
            ShortVector tU = ((ShortVector) ByteVector.fromArray(B16, u, cTop + c).convertShape(B2S, S, 0))
                    .and((short) 0xff);
            ShortVector lU = ((ShortVector) ByteVector.fromArray(B16, u, cCur + c - 1).convertShape(B2S, S, 0))
                    .and((short) 0xff);
            ShortVector cU = ((ShortVector) ByteVector.fromArray(B16, u, cCur + c).convertShape(B2S, S, 0))
                    .and((short) 0xff);
            ShortVector tlV = ((ShortVector) ByteVector.fromArray(B16, v, cTop + c - 1).convertShape(B2S, S, 0))
                    .and((short) 0xff);
            ShortVector tV = ((ShortVector) ByteVector.fromArray(B16, v, cTop + c).convertShape(B2S, S, 0))
                    .and((short) 0xff);
            ShortVector lV = ((ShortVector) ByteVector.fromArray(B16, v, cCur + c - 1).convertShape(B2S, S, 0))
                    .and((short) 0xff);
            ShortVector cV = ((ShortVector) ByteVector.fromArray(B16, v, cCur + c).convertShape(B2S, S, 0))
                    .and((short) 0xff);
            ShortVector avgU = tlU.add(tU).add(lU).add(cU).add((short) 8);
            ShortVector avgV = tlV.add(tV).add(lV).add(cV).add((short) 8);
            ShortVector d12U = avgU.add(tU.add(lU).lanewise(LSHL, (short) 1)).lanewise(ASHR, (short) 3);
            ShortVector d12V = avgV.add(tV.add(lV).lanewise(LSHL, (short) 1)).lanewise(ASHR, (short) 3);
            ShortVector d03U = avgU.add(tlU.add(cU).lanewise(LSHL, (short) 1)).lanewise(ASHR, (short) 3);
            ShortVector d03V = avgV.add(tlV.add(cV).lanewise(LSHL, (short) 1)).lanewise(ASHR, (short) 3);
            d12U.add(tlU).lanewise(ASHR, (short) 1).intoArray(s, i);
            d12V.add(tlV).lanewise(ASHR, (short) 1).intoArray(s, BLOCK + i);
            d03U.add(tU).lanewise(ASHR, (short) 1).intoArray(s, 2 * BLOCK + i);
            d03V.add(tV).lanewise(ASHR, (short) 1).intoArray(s, 3 * BLOCK + i);
            d03U.add(lU).lanewise(ASHR, (short) 1).intoArray(s, 4 * BLOCK + i);
            d03V.add(lV).lanewise(ASHR, (short) 1).intoArray(s, 5 * BLOCK + i);
            d12U.add(cU).lanewise(ASHR, (short) 1).intoArray(s, 6 * BLOCK + i);
            d12V.add(cV).lanewise(ASHR, (short) 1).intoArray(s, 7 * BLOCK + i);
        }
    }

    /**
     * One output row of columns {@code [x, x + n)}: its luma at {@code yRow}, its chroma in the scratch rows from
     * {@code from} (U and V of the odd pixels, then of the even ones), converted and packed as three rows of words
     * from {@link #WORDS}.
     */
    private static void convert(byte[] y, int yRow, int x, int n, short[] s, int from) {
        for (int k = 0; k < n; k += COLS) {
            int i = Math.min(k, n - COLS);
            ShortVector yw = ByteVector.fromArray(B32, y, yRow + 2 * (x + i) - 1).reinterpretAsShorts();
            ShortVector yo = yw.and((short) 0xff);
            ShortVector ye = yw.lanewise(LSHR, 8);
            ShortVector uo = ShortVector.fromArray(S, s, from + i);
            ShortVector vo = ShortVector.fromArray(S, s, from + BLOCK + i);
            ShortVector ue = ShortVector.fromArray(S, s, from + 2 * BLOCK + i);
            ShortVector ve = ShortVector.fromArray(S, s, from + 3 * BLOCK + i);
            ShortVector yyo = yo.mul((short) 74).add(yo.mul((short) 133).lanewise(LSHR, 8));
            ShortVector ro = yyo.add(vo.mul((short) 102)).add(vo.mul((short) 37).lanewise(ASHR, (short) 8))
                    .sub((short) 14234).lanewise(ASHR, (short) 6).max((short) 0).min((short) 255);
            ShortVector go = yyo.sub(uo.mul((short) 25)).sub(uo.mul((short) 19).lanewise(ASHR, (short) 8))
                    .sub(vo.mul((short) 52)).sub(vo.lanewise(ASHR, (short) 5)).add((short) 8708)
                    .lanewise(ASHR, (short) 6).max((short) 0).min((short) 255);
            ShortVector bo = yyo.add(uo.mul((short) 129))
                    .add(uo.mul((short) 26).add((short) 11008).lanewise(ASHR, (short) 8))
                    .lanewise(LSHR, 6).sub((short) 277).max((short) 0).min((short) 255);
            ShortVector yye = ye.mul((short) 74).add(ye.mul((short) 133).lanewise(LSHR, 8));
            ShortVector re = yye.add(ve.mul((short) 102)).add(ve.mul((short) 37).lanewise(ASHR, (short) 8))
                    .sub((short) 14234).lanewise(ASHR, (short) 6).max((short) 0).min((short) 255);
            ShortVector ge = yye.sub(ue.mul((short) 25)).sub(ue.mul((short) 19).lanewise(ASHR, (short) 8))
                    .sub(ve.mul((short) 52)).sub(ve.lanewise(ASHR, (short) 5)).add((short) 8708)
                    .lanewise(ASHR, (short) 6).max((short) 0).min((short) 255);
            ShortVector be = yye.add(ue.mul((short) 129))
                    .add(ue.mul((short) 26).add((short) 11008).lanewise(ASHR, (short) 8))
                    .lanewise(LSHR, 6).sub((short) 277).max((short) 0).min((short) 255);
            ro.or(go.lanewise(LSHL, (short) 8)).intoArray(s, WORDS + i);
            bo.or(re.lanewise(LSHL, (short) 8)).intoArray(s, WORDS + BLOCK + i);
            ge.or(be.lanewise(LSHL, (short) 8)).intoArray(s, WORDS + 2 * BLOCK + i);
        }
    }

    /** The {@code 6n} bytes of {@code n >= 8} columns' words from {@link #WORDS} to {@code dst} at {@code o}. */
    private static void store(short[] s, int n, byte[] dst, int o) {
        for (int k = 0; k < n; k += 8) {
            int i = Math.min(k, n - 8);
            int p = o + 6 * i;
            ByteVector a = ShortVector.fromArray(S8, s, WORDS + i).reinterpretAsBytes();
            ByteVector b = ShortVector.fromArray(S8, s, WORDS + BLOCK + i).reinterpretAsBytes();
            ByteVector e = ShortVector.fromArray(S8, s, WORDS + 2 * BLOCK + i).reinterpretAsBytes();
            a.rearrange(W0_0).blend(b.rearrange(W1_0), M1_0).blend(e.rearrange(W2_0), M2_0).intoArray(dst, p);
            a.rearrange(W0_1).blend(b.rearrange(W1_1), M1_1).blend(e.rearrange(W2_1), M2_1).intoArray(dst, p + 16);
            a.rearrange(W0_2).blend(b.rearrange(W1_2), M1_2).blend(e.rearrange(W2_2), M2_2).intoArray(dst, p + 32);
        }
    }
}

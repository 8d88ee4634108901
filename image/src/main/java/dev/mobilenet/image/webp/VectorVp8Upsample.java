package dev.mobilenet.image.webp;

import static jdk.incubator.vector.VectorOperators.AND;
import static jdk.incubator.vector.VectorOperators.ASHR;
import static jdk.incubator.vector.VectorOperators.B2I;
import static jdk.incubator.vector.VectorOperators.LSHL;
import static jdk.incubator.vector.VectorOperators.LSHR;
import static jdk.incubator.vector.VectorOperators.OR;
import static jdk.incubator.vector.VectorOperators.S2I;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The Vector API {@link Vp8UpsampleKernels}: blocks of up to 256 chroma columns, eight at a time in 32-bit lanes.
 * The luma pairs {@code (2x - 1, 2x)} are loaded as 16-bit lanes and split into their low and high bytes; the four
 * pixel sets of a column (odd and even pixel of the top and bottom rows) are upsampled into scratch rows, converted
 * there, and each column's two packed pixels shifted into the low six bytes of a 64-bit lane, stored as one
 * {@code long}. Each stage is one flat loop, since a vector passed to a method C2 does not inline is boxed.
 */
final class VectorVp8Upsample implements Vp8UpsampleKernels {
    private static final VectorSpecies<Integer> I = IntVector.SPECIES_256;
    private static final VectorSpecies<Byte> B8 = ByteVector.SPECIES_64;
    private static final VectorSpecies<Byte> B16 = ByteVector.SPECIES_128;
    private static final int LANES = 8;
    private static final VectorSpecies<Integer> I4 = IntVector.SPECIES_128;
    /** 128 bits, as in {@link VectorVp8Edges}: JDK 17's C2 types a chain of long operations by profile. */
    private static final VectorSpecies<Long> L = LongVector.SPECIES_128;
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    /** Chroma columns per block: twelve scratch rows of this many ints stay in the first-level cache. */
    private static final int BLOCK = 256;
    /**
     * Each thread's twelve scratch rows, and 16 unused ints after them: long-lived arrays are copied next to each
     * other by the collector, and without the margin the last row of one thread's scratch would share a cache line
     * with the first row of another's, written by another core at every block.
     */
    private static final ThreadLocal<int[]> SCRATCH = ThreadLocal.withInitial(() -> new int[12 * BLOCK + 16]);

    /** Usable when 8 ints fit a preferred vector (AVX2 and wider). */
    static boolean supported() {
        return IntVector.SPECIES_PREFERRED.length() >= LANES;
    }

    /**
     * Columns {@code [x, x + n)} into the scratch rows: per pixel set (top odd, top even, bottom odd, bottom even)
     * its luma, U and V in rows {@code 3 * set}, {@code 3 * set + 1} and {@code 3 * set + 2}, {@link #BLOCK} ints each.
     */
    private static void upsample(byte[] y, int topY, int botY, byte[] u, byte[] v, int cTop, int cCur, int x, int n,
            int[] s) {
        for (int i = 0; i < n; i += LANES) {
            int c = x + i;
            IntVector tlU = ((IntVector) ByteVector.fromArray(B8, u, cTop + c - 1).convertShape(B2I, I, 0)).and(0xff);
            IntVector tU = ((IntVector) ByteVector.fromArray(B8, u, cTop + c).convertShape(B2I, I, 0)).and(0xff);
            IntVector lU = ((IntVector) ByteVector.fromArray(B8, u, cCur + c - 1).convertShape(B2I, I, 0)).and(0xff);
            IntVector cU = ((IntVector) ByteVector.fromArray(B8, u, cCur + c).convertShape(B2I, I, 0)).and(0xff);
            IntVector tlV = ((IntVector) ByteVector.fromArray(B8, v, cTop + c - 1).convertShape(B2I, I, 0)).and(0xff);
            IntVector tV = ((IntVector) ByteVector.fromArray(B8, v, cTop + c).convertShape(B2I, I, 0)).and(0xff);
            IntVector lV = ((IntVector) ByteVector.fromArray(B8, v, cCur + c - 1).convertShape(B2I, I, 0)).and(0xff);
            IntVector cV = ((IntVector) ByteVector.fromArray(B8, v, cCur + c).convertShape(B2I, I, 0)).and(0xff);
            IntVector avgU = tlU.add(tU).add(lU).add(cU).add(8);
            IntVector avgV = tlV.add(tV).add(lV).add(cV).add(8);
            IntVector d12U = avgU.add(tU.add(lU).lanewise(LSHL, 1)).lanewise(ASHR, 3);
            IntVector d12V = avgV.add(tV.add(lV).lanewise(LSHL, 1)).lanewise(ASHR, 3);
            IntVector d03U = avgU.add(tlU.add(cU).lanewise(LSHL, 1)).lanewise(ASHR, 3);
            IntVector d03V = avgV.add(tlV.add(cV).lanewise(LSHL, 1)).lanewise(ASHR, 3);
            IntVector top = (IntVector) ByteVector.fromArray(B16, y, topY + 2 * c - 1).reinterpretAsShorts()
                    .convertShape(S2I, I, 0);
            top.and(0xff).intoArray(s, i);
            d12U.add(tlU).lanewise(ASHR, 1).intoArray(s, BLOCK + i);
            d12V.add(tlV).lanewise(ASHR, 1).intoArray(s, 2 * BLOCK + i);
            top.lanewise(ASHR, 8).and(0xff).intoArray(s, 3 * BLOCK + i);
            d03U.add(tU).lanewise(ASHR, 1).intoArray(s, 4 * BLOCK + i);
            d03V.add(tV).lanewise(ASHR, 1).intoArray(s, 5 * BLOCK + i);
            if (botY >= 0) {
                IntVector bot = (IntVector) ByteVector.fromArray(B16, y, botY + 2 * c - 1).reinterpretAsShorts()
                        .convertShape(S2I, I, 0);
                bot.and(0xff).intoArray(s, 6 * BLOCK + i);
                d03U.add(lU).lanewise(ASHR, 1).intoArray(s, 7 * BLOCK + i);
                d03V.add(lV).lanewise(ASHR, 1).intoArray(s, 8 * BLOCK + i);
                bot.lanewise(ASHR, 8).and(0xff).intoArray(s, 9 * BLOCK + i);
                d12U.add(cU).lanewise(ASHR, 1).intoArray(s, 10 * BLOCK + i);
                d12V.add(cV).lanewise(ASHR, 1).intoArray(s, 11 * BLOCK + i);
            }
        }
    }

    /**
     * libwebp's VP8YuvToRgb of the {@code n} pixels of scratch set {@code set}, packed as red | green << 8 |
     * blue << 16 over the set's luma row.
     */
    private static void convert(int[] s, int set, int n) {
        int ys = 3 * set * BLOCK;
        for (int i = 0; i < n; i += LANES) {
            IntVector yy = IntVector.fromArray(I, s, ys + i).mul(19077).lanewise(ASHR, 8);
            IntVector u = IntVector.fromArray(I, s, ys + BLOCK + i);
            IntVector v = IntVector.fromArray(I, s, ys + 2 * BLOCK + i);
            IntVector r = yy.add(v.mul(26149).lanewise(ASHR, 8)).sub(14234).lanewise(ASHR, 6).max(0).min(255);
            IntVector g = yy.sub(u.mul(6419).lanewise(ASHR, 8)).sub(v.mul(13320).lanewise(ASHR, 8)).add(8708)
                    .lanewise(ASHR, 6).max(0).min(255);
            IntVector b = yy.add(u.mul(33050).lanewise(ASHR, 8)).sub(17685).lanewise(ASHR, 6).max(0).min(255);
            r.or(g.lanewise(LSHL, 8)).or(b.lanewise(LSHL, 16)).intoArray(s, ys + i);
        }
    }

    @Override
    public void pairs(byte[] y, int topY, int botY, byte[] u, byte[] v, int cTop, int cCur, int x0, int x1,
            byte[] dst, int topDst, int botDst) {
        int[] s = SCRATCH.get();
        int x = x0;
        // a block's last store reaches two bytes into the next column, which a later block or the scalar tail writes
        while (x1 - x > LANES) {
            int n = Math.min(BLOCK, (x1 - x - 1) & -LANES);
            upsample(y, topY, botY, u, v, cTop, cCur, x, n, s);
            convert(s, 0, n);
            convert(s, 1, n);
            store(s, 0, n, dst, topDst + (2 * x - 1) * 3);
            if (botY >= 0) {
                convert(s, 2, n);
                convert(s, 3, n);
                store(s, 6 * BLOCK, n, dst, botDst + (2 * x - 1) * 3);
            }
            x += n;
        }
        if (x < x1) {
            ScalarVp8Upsample.INSTANCE.pairs(y, topY, botY, u, v, cTop, cCur, x, x1, dst, topDst, botDst);
        }
    }

    /**
     * {@code n} columns' six bytes each (a multiple of eight columns): the odd pixel's packed RGB at {@code s[from +
     * i]}, the even one's {@code 3 * BLOCK} after it. A column's two pixels become the low six bytes of a
     * {@code long}, stored whole from the vector's lanes left to right, so that each store's two extra bytes are
     * overwritten by the next; the last store reaches two bytes past the run. (Byte shuffles would write three
     * 16-byte chunks per eight columns, but JDK 17 checks a shuffle's indexes at every use.)
     */
    private static void store(int[] s, int from, int n, byte[] dst, int o) {
        for (int i = 0; i < n; i += 4) {
            LongVector odd = (LongVector) IntVector.fromArray(I4, s, from + i).reinterpretShape(L, 0);
            LongVector even = (LongVector) IntVector.fromArray(I4, s, from + 3 * BLOCK + i).reinterpretShape(L, 0);
            // the two bytes above a column's six are the next column's, written by the next store
            LongVector first = odd.lanewise(AND, 0xffffffL).lanewise(OR, even.lanewise(LSHL, 24));
            LongVector second = even.lanewise(LSHR, 8).lanewise(AND, 0xffffff000000L)
                    .lanewise(OR, odd.lanewise(LSHR, 32));
            int p = o + 6 * i;
            LONG.set(dst, p, first.lane(0));
            LONG.set(dst, p + 6, second.lane(0));
            LONG.set(dst, p + 12, first.lane(1));
            LONG.set(dst, p + 18, second.lane(1));
        }
    }
}

package dev.mobilenet.image.webp;

import static dev.mobilenet.image.webp.Vp8Decoder.BPS;
import static jdk.incubator.vector.VectorOperators.ASHR;
import static jdk.incubator.vector.VectorOperators.B2I;
import static jdk.incubator.vector.VectorOperators.B2S;
import static jdk.incubator.vector.VectorOperators.I2B;
import static jdk.incubator.vector.VectorOperators.LSHL;
import static jdk.incubator.vector.VectorOperators.S2B;
import static jdk.incubator.vector.VectorOperators.S2I;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * The Vector API {@link Vp8IdctKernels}: one block in two 8-lane int vectors, each holding two rows (or after the
 * transpose two columns) of four. A pass computes libwebp's {@code a, b, c, e} of both halves at once, the
 * multiplications landing in the high half only (constant vectors zero in the low half), then {@code a +- e} and
 * {@code b +- c} against a copy with the halves exchanged. The transposes are single-vector rearranges and a blend.
 * Intermediates wrap to 16 bits only where libwebp's wrap changes a result: before the {@code mulhi} terms of the
 * second pass and before the final shift (the sums and differences commute with the wrap). A DC-only block is its
 * 16 pixels in 16-bit lanes, one add and one clamp. One flat method that calls nothing but the Vector API (a vector
 * handed to a method C2 leaves out of line is boxed), with every species a constant: a reinterpret to a species
 * derived at run time ({@code reinterpretAsInts()}) was left un-intrinsified in one of C2's compilations.
 */
final class VectorVp8Idct implements Vp8IdctKernels {
    private static final VectorSpecies<Short> S = ShortVector.SPECIES_128;
    private static final VectorSpecies<Integer> I = IntVector.SPECIES_256;
    private static final VectorSpecies<Integer> I2 = IntVector.SPECIES_64;
    private static final VectorSpecies<Integer> I4 = IntVector.SPECIES_128;
    private static final VectorSpecies<Short> S16 = ShortVector.SPECIES_256;
    private static final VectorSpecies<Byte> B8 = ByteVector.SPECIES_64;
    private static final VectorSpecies<Byte> B16 = ByteVector.SPECIES_128;
    private static final ShortVector ZERO = ShortVector.zero(S16);
    private static final ShortVector MAX = ShortVector.broadcast(S16, (short) 255);
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final IntVector K1 = IntVector.fromArray(I, new int[] {0, 0, 0, 0, 20091, 20091, 20091, 20091}, 0);
    private static final IntVector K2 =
            IntVector.fromArray(I, new int[] {0, 0, 0, 0, -30068, -30068, -30068, -30068}, 0);
    private static final IntVector DC = IntVector.fromArray(I, new int[] {4, 4, 4, 4, 0, 0, 0, 0}, 0);
    /** The two halves exchanged: from {@code [a | e]}, {@code [a + e | a - e]} is a sum, a difference and a blend. */
    private static final VectorShuffle<Integer> SWAP = VectorShuffle.fromValues(I, 4, 5, 6, 7, 0, 1, 2, 3);
    private static final VectorMask<Integer> UPPER =
            VectorMask.fromValues(I, false, false, false, false, true, true, true, true);
    /**
     * The transpose of {@code [t0 | t3]} and {@code [t1 | t2]} (four lanes each) into {@code [col 0 | col 1]}
     * ({@code *_01}) and {@code [col 2 | col 3]} ({@code *_23}): the {@code t0}/{@code t3} lanes from the first
     * rearrange, the {@link #MID} lanes from the second.
     */
    private static final VectorShuffle<Integer> T03_01 = VectorShuffle.fromValues(I, 0, 0, 0, 4, 1, 1, 1, 5);
    private static final VectorShuffle<Integer> T12_01 = VectorShuffle.fromValues(I, 0, 0, 4, 0, 0, 1, 5, 0);
    private static final VectorShuffle<Integer> T03_23 = VectorShuffle.fromValues(I, 2, 2, 2, 6, 3, 3, 3, 7);
    private static final VectorShuffle<Integer> T12_23 = VectorShuffle.fromValues(I, 2, 2, 6, 2, 2, 3, 7, 3);
    private static final VectorMask<Integer> MID =
            VectorMask.fromValues(I, false, true, true, false, false, true, true, false);

    /** Usable when 8 ints fit a preferred vector (AVX2 and wider). */
    static boolean supported() {
        return IntVector.SPECIES_PREFERRED.length() >= 8;
    }

    @Override
    public void transforms(int full, int dc, int log2Columns, short[] in, int off, byte[] w, int d) {
        // Vp8IdctKernels.block and pixels written out: this method is at C2's inlining budget, which left them calls
        int columns = (1 << log2Columns) - 1;
        for (int m = full; m != 0; m &= m - 1) {
            int n = (31 - Integer.numberOfTrailingZeros(m)) >> 1;
            int o = off + 16 * n;
            int p = d + 4 * (n & columns) + 4 * BPS * (n >> log2Columns);
            IntVector x = (IntVector) ShortVector.fromArray(S, in, o).convertShape(S2I, I, 0);
            IntVector y = (IntVector) ShortVector.fromArray(S, in, o + 8).convertShape(S2I, I, 0);
            // vertical pass: x = [row 0 | row 1], y = [row 2 | row 3], lanes the columns
            IntVector ae = x.add(y).add(x.mul(K1).lanewise(ASHR, 16)).add(y.mul(K2).lanewise(ASHR, 16));
            IntVector bc = x.sub(y).add(x.mul(K2).lanewise(ASHR, 16)).sub(y.mul(K1).lanewise(ASHR, 16));
            IntVector ea = ae.rearrange(SWAP);
            IntVector cb = bc.rearrange(SWAP);
            IntVector t03 = ae.add(ea).blend(ea.sub(ae), UPPER);
            IntVector t12 = bc.add(cb).blend(cb.sub(bc), UPPER);
            x = t03.rearrange(T03_01).blend(t12.rearrange(T12_01), MID).lanewise(LSHL, 16).lanewise(ASHR, 16);
            y = t03.rearrange(T03_23).blend(t12.rearrange(T12_23), MID).lanewise(LSHL, 16).lanewise(ASHR, 16);
            // horizontal pass: x = [column 0 | column 1], y = [column 2 | column 3], lanes the rows
            ae = x.add(y).add(x.mul(K1).lanewise(ASHR, 16)).add(y.mul(K2).lanewise(ASHR, 16)).add(DC);
            bc = x.sub(y).add(x.mul(K2).lanewise(ASHR, 16)).sub(y.mul(K1).lanewise(ASHR, 16)).add(DC);
            ea = ae.rearrange(SWAP);
            cb = bc.rearrange(SWAP);
            t03 = ae.add(ea).blend(ea.sub(ae), UPPER);
            t12 = bc.add(cb).blend(cb.sub(bc), UPPER);
            IntVector r01 = t03.rearrange(T03_01).blend(t12.rearrange(T12_01), MID).lanewise(LSHL, 16)
                    .lanewise(ASHR, 19);
            IntVector r23 = t03.rearrange(T03_23).blend(t12.rearrange(T12_23), MID).lanewise(LSHL, 16)
                    .lanewise(ASHR, 19);
            IntVector p01 = IntVector.broadcast(I2, (int) INT.get(w, p)).withLane(1, (int) INT.get(w, p + BPS));
            IntVector p23 = IntVector.broadcast(I2, (int) INT.get(w, p + 2 * BPS)).withLane(1,
                    (int) INT.get(w, p + 3 * BPS));
            r01 = r01.add(((IntVector) p01.reinterpretShape(B8, 0).convertShape(B2I, I, 0)).and(0xff)).max(0)
                    .min(255);
            r23 = r23.add(((IntVector) p23.reinterpretShape(B8, 0).convertShape(B2I, I, 0)).and(0xff)).max(0)
                    .min(255);
            IntVector o01 = (IntVector) r01.convertShape(I2B, B8, 0).reinterpretShape(I2, 0);
            IntVector o23 = (IntVector) r23.convertShape(I2B, B8, 0).reinterpretShape(I2, 0);
            INT.set(w, p, o01.lane(0));
            INT.set(w, p + BPS, o01.lane(1));
            INT.set(w, p + 2 * BPS, o23.lane(0));
            INT.set(w, p + 3 * BPS, o23.lane(1));
        }
        for (int m = dc; m != 0; m &= m - 1) {
            int n = (31 - Integer.numberOfTrailingZeros(m)) >> 1;
            int o = off + 16 * n;
            int p = d + 4 * (n & columns) + 4 * BPS * (n >> log2Columns);
            IntVector pred = IntVector.broadcast(I4, (int) INT.get(w, p)).withLane(1, (int) INT.get(w, p + BPS))
                    .withLane(2, (int) INT.get(w, p + 2 * BPS)).withLane(3, (int) INT.get(w, p + 3 * BPS));
            ShortVector sum = ((ShortVector) pred.reinterpretShape(B16, 0).convertShape(B2S, S16, 0))
                    .and((short) 0xff).add(ShortVector.broadcast(S16, (short) ((in[o] + 4) >> 3))).max(ZERO).min(MAX);
            IntVector out = (IntVector) sum.convertShape(S2B, B16, 0).reinterpretShape(I4, 0);
            INT.set(w, p, out.lane(0));
            INT.set(w, p + BPS, out.lane(1));
            INT.set(w, p + 2 * BPS, out.lane(2));
            INT.set(w, p + 3 * BPS, out.lane(3));
        }
    }
}

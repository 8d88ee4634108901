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
 * {@code b +- c} from the halves broadcast by a rearrange. The transposes are single-vector rearranges and a blend.
 * Intermediates wrap to 16 bits only where libwebp's wrap changes a result: before the {@code mulhi} terms of the
 * second pass and before the final shift (the sums and differences commute with the wrap). One flat method that
 * calls nothing but the Vector API: a vector handed to a method C2 leaves out of line is boxed.
 */
final class VectorVp8Idct implements Vp8IdctKernels {
    private static final VectorSpecies<Short> S = ShortVector.SPECIES_128;
    private static final VectorSpecies<Integer> I = IntVector.SPECIES_256;
    private static final VectorSpecies<Integer> I2 = IntVector.SPECIES_64;
    private static final VectorSpecies<Integer> I4 = IntVector.SPECIES_128;
    private static final VectorSpecies<Short> S16 = ShortVector.SPECIES_256;
    private static final VectorSpecies<Byte> B8 = ByteVector.SPECIES_64;
    private static final VectorSpecies<Byte> B16 = ByteVector.SPECIES_128;
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final IntVector K1 = IntVector.fromArray(I, new int[] {0, 0, 0, 0, 20091, 20091, 20091, 20091}, 0);
    private static final IntVector K2 =
            IntVector.fromArray(I, new int[] {0, 0, 0, 0, -30068, -30068, -30068, -30068}, 0);
    private static final IntVector DC = IntVector.fromArray(I, new int[] {4, 4, 4, 4, 0, 0, 0, 0}, 0);
    private static final VectorShuffle<Integer> LOW = VectorShuffle.fromValues(I, 0, 1, 2, 3, 0, 1, 2, 3);
    private static final VectorShuffle<Integer> HIGH = VectorShuffle.fromValues(I, 4, 5, 6, 7, 4, 5, 6, 7);
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
    public void full(short[] in, int off, byte[] w, int d) {
        IntVector x = (IntVector) ShortVector.fromArray(S, in, off).convertShape(S2I, I, 0);
        IntVector y = (IntVector) ShortVector.fromArray(S, in, off + 8).convertShape(S2I, I, 0);
        // vertical pass: x = [row 0 | row 1], y = [row 2 | row 3], lanes the columns
        IntVector ae = x.add(y).add(x.mul(K1).lanewise(ASHR, 16)).add(y.mul(K2).lanewise(ASHR, 16));
        IntVector bc = x.sub(y).add(x.mul(K2).lanewise(ASHR, 16)).sub(y.mul(K1).lanewise(ASHR, 16));
        IntVector a = ae.rearrange(LOW);
        IntVector e = ae.rearrange(HIGH);
        IntVector b = bc.rearrange(LOW);
        IntVector c = bc.rearrange(HIGH);
        IntVector t03 = a.add(e).blend(a.sub(e), UPPER);
        IntVector t12 = b.add(c).blend(b.sub(c), UPPER);
        x = t03.rearrange(T03_01).blend(t12.rearrange(T12_01), MID).lanewise(LSHL, 16).lanewise(ASHR, 16);
        y = t03.rearrange(T03_23).blend(t12.rearrange(T12_23), MID).lanewise(LSHL, 16).lanewise(ASHR, 16);
        // horizontal pass: x = [column 0 | column 1], y = [column 2 | column 3], lanes the rows
        ae = x.add(y).add(x.mul(K1).lanewise(ASHR, 16)).add(y.mul(K2).lanewise(ASHR, 16)).add(DC);
        bc = x.sub(y).add(x.mul(K2).lanewise(ASHR, 16)).sub(y.mul(K1).lanewise(ASHR, 16)).add(DC);
        a = ae.rearrange(LOW);
        e = ae.rearrange(HIGH);
        b = bc.rearrange(LOW);
        c = bc.rearrange(HIGH);
        t03 = a.add(e).blend(a.sub(e), UPPER);
        t12 = b.add(c).blend(b.sub(c), UPPER);
        IntVector r01 = t03.rearrange(T03_01).blend(t12.rearrange(T12_01), MID).lanewise(LSHL, 16)
                .lanewise(ASHR, 19);
        IntVector r23 = t03.rearrange(T03_23).blend(t12.rearrange(T12_23), MID).lanewise(LSHL, 16)
                .lanewise(ASHR, 19);
        IntVector p01 = IntVector.broadcast(I2, (int) INT.get(w, d)).withLane(1, (int) INT.get(w, d + BPS));
        IntVector p23 = IntVector.broadcast(I2, (int) INT.get(w, d + 2 * BPS)).withLane(1,
                (int) INT.get(w, d + 3 * BPS));
        r01 = r01.add(((IntVector) p01.reinterpretShape(B8, 0).convertShape(B2I, I, 0)).and(0xff)).max(0).min(255);
        r23 = r23.add(((IntVector) p23.reinterpretShape(B8, 0).convertShape(B2I, I, 0)).and(0xff)).max(0).min(255);
        IntVector o01 = (IntVector) r01.convertShape(I2B, B8, 0).reinterpretShape(I2, 0);
        IntVector o23 = (IntVector) r23.convertShape(I2B, B8, 0).reinterpretShape(I2, 0);
        INT.set(w, d, o01.lane(0));
        INT.set(w, d + BPS, o01.lane(1));
        INT.set(w, d + 2 * BPS, o23.lane(0));
        INT.set(w, d + 3 * BPS, o23.lane(1));
    }

    @Override
    public void dc(int dc, byte[] w, int d) {
        IntVector p = IntVector.broadcast(I4, (int) INT.get(w, d)).withLane(1, (int) INT.get(w, d + BPS))
                .withLane(2, (int) INT.get(w, d + 2 * BPS)).withLane(3, (int) INT.get(w, d + 3 * BPS));
        ShortVector s = ((ShortVector) p.reinterpretShape(B16, 0).convertShape(B2S, S16, 0)).and((short) 0xff)
                .add((short) ((dc + 4) >> 3)).max((short) 0).min((short) 255);
        IntVector o = (IntVector) s.convertShape(S2B, B16, 0).reinterpretShape(I4, 0);
        INT.set(w, d, o.lane(0));
        INT.set(w, d + BPS, o.lane(1));
        INT.set(w, d + 2 * BPS, o.lane(2));
        INT.set(w, d + 3 * BPS, o.lane(3));
    }
}

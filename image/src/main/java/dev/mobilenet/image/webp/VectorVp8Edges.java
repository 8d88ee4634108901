package dev.mobilenet.image.webp;

import static jdk.incubator.vector.VectorOperators.AND;
import static jdk.incubator.vector.VectorOperators.AND_NOT;
import static jdk.incubator.vector.VectorOperators.ASHR;
import static jdk.incubator.vector.VectorOperators.LSHL;
import static jdk.incubator.vector.VectorOperators.LSHR;
import static jdk.incubator.vector.VectorOperators.NE;
import static jdk.incubator.vector.VectorOperators.XOR;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The Vector API {@link Vp8EdgeKernels}: the 16 positions of an edge in the lanes of 16-bit vectors (the eight
 * rows read as bytes and widened), every filter computed for every lane, the changed rows narrowed and stored whole.
 * The scalar loop's tests become all-ones lanes (the two limits as one sign, the high variance as another) that
 * mask the filter's steps: a step of zero leaves a pixel as it is, so no row is chosen by a blend. The inner edge's
 * 4-tap and 2-tap filters share their {@code p0}, {@code q0} arithmetic, the step including {@code p1 - q1} only
 * where the variance is high. The filter is one flat method that calls nothing but the Vector API, whose own
 * methods C2 inlines by annotation whatever the size: it stops inlining ordinary methods once a compilation holds
 * about 18,000 nodes ({@code NodeCountInliningCutoff}), and every vector handed to a method left out of line is
 * boxed (a one-line store helper cost 200 MB of garbage per 4000x3000 picture on JDK 17 and 25 and 40% of the
 * filter's time). Its shift counts are {@code short} literals: written as {@code int}s they pick the API's
 * {@code lanewise(op, long)} overload, and inside the decoder JDK 17's C2 left one such shift of the 6-tap filter
 * un-intrinsified (36 MB of boxes per picture, not in an isolated benchmark).
 *
 * <p>The vertical edges are filtered as horizontal ones on a transposed copy in the scratch block: each scratch row
 * holds one column of the picture, its 16 rows side by side (for chroma, U's eight rows then V's). Blocks of 8
 * columns by 16 rows are transposed as two 8x8 byte matrices at once, one in each 64-bit lane, by three rounds of
 * swapping bytes between rows 4, 2 and 1 apart with shifts and masks. The rows go into the transpose as
 * {@code long}s through a staging area at the end of the scratch block, and come out of it as the {@code long}
 * lanes of its vectors, stored straight into the planes (a vector built from two {@code long}s by
 * {@code withLane} was slower on the way in).
 */
final class VectorVp8Edges implements Vp8EdgeKernels {
    private static final VectorSpecies<Byte> B = ByteVector.SPECIES_128;
    private static final VectorSpecies<Short> S = ShortVector.SPECIES_256;
    private static final VectorSpecies<Long> L = LongVector.SPECIES_128;
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    /** Where the 20 transposed columns start in the scratch block. */
    private static final int COLUMNS = MARGIN;
    /** Where the staging area of eight row pairs starts in the scratch block, after the 20 transposed columns. */
    private static final int STAGE = COLUMNS + 20 * 16;

    /** Usable when 16 shorts fit a preferred vector (AVX2 and wider). */
    static boolean supported() {
        return ShortVector.SPECIES_PREFERRED.length() >= 16;
    }

    @Override
    public void mbEdge16(byte[] b, int p, int stride, int thresh, int ithresh, int hevThresh) {
        edge(b, p, stride, thresh, ithresh, hevThresh, false);
    }

    @Override
    public void innerEdge16(byte[] b, int p, int stride, int thresh, int ithresh, int hevThresh) {
        edge(b, p, stride, thresh, ithresh, hevThresh, true);
    }

    private static void edge(byte[] b, int p, int stride, int thresh, int ithresh, int hevThresh, boolean inner) {
        ShortVector p3 = ((ShortVector) ByteVector.fromArray(B, b, p - 4 * stride)
                .convertShape(VectorOperators.B2S, S, 0)).and((short) 0xff);
        ShortVector p2 = ((ShortVector) ByteVector.fromArray(B, b, p - 3 * stride)
                .convertShape(VectorOperators.B2S, S, 0)).and((short) 0xff);
        ShortVector p1 = ((ShortVector) ByteVector.fromArray(B, b, p - 2 * stride)
                .convertShape(VectorOperators.B2S, S, 0)).and((short) 0xff);
        ShortVector p0 = ((ShortVector) ByteVector.fromArray(B, b, p - stride)
                .convertShape(VectorOperators.B2S, S, 0)).and((short) 0xff);
        ShortVector q0 = ((ShortVector) ByteVector.fromArray(B, b, p)
                .convertShape(VectorOperators.B2S, S, 0)).and((short) 0xff);
        ShortVector q1 = ((ShortVector) ByteVector.fromArray(B, b, p + stride)
                .convertShape(VectorOperators.B2S, S, 0)).and((short) 0xff);
        ShortVector q2 = ((ShortVector) ByteVector.fromArray(B, b, p + 2 * stride)
                .convertShape(VectorOperators.B2S, S, 0)).and((short) 0xff);
        ShortVector q3 = ((ShortVector) ByteVector.fromArray(B, b, p + 3 * stride)
                .convertShape(VectorOperators.B2S, S, 0)).and((short) 0xff);
        ShortVector d10 = p1.sub(p0).abs();
        ShortVector e10 = q1.sub(q0).abs();
        ShortVector edge = p0.sub(q0).abs().mul((short) 4).add(p1.sub(q1).abs());
        ShortVector interior = p3.sub(p2).abs().max(p2.sub(p1).abs()).max(d10).max(q3.sub(q2).abs())
                .max(q2.sub(q1).abs()).max(e10);
        // -1 in the lanes to filter, 0 elsewhere; as vectors, so that they mask the step instead of choosing rows
        ShortVector m = edge.sub((short) (2 * thresh + 2)).max(interior.sub((short) (ithresh + 1)))
                .lanewise(ASHR, (short) 15);
        if (!m.compare(NE, (short) 0).anyTrue()) {
            return;
        }
        // high variance: -1 where only p0 and q0 change (2-tap), by a step that includes p1 - q1
        ShortVector hev = ShortVector.broadcast(S, (short) hevThresh).sub(d10.max(e10)).lanewise(ASHR, (short) 15);
        ShortVector d = q0.sub(p0).mul((short) 3);
        ShortVector c = p1.sub(q1).max((short) -128).min((short) 127);
        if (inner) {
            // 4-tap (3 * (q0 - p0) alone) or 2-tap (plus p1 - q1): the same p0, q0 arithmetic; p1, q1 not where hev
            ShortVector a = d.add(c.and(hev)).and(m);
            ShortVector a1 = a.add((short) 4).lanewise(ASHR, (short) 3).max((short) -16).min((short) 15);
            ShortVector a2 = a.add((short) 3).lanewise(ASHR, (short) 3).max((short) -16).min((short) 15);
            ShortVector a3 = a1.add((short) 1).lanewise(ASHR, (short) 1).lanewise(AND_NOT, hev);
            ((ByteVector) p1.add(a3).max((short) 0).min((short) 255).convertShape(VectorOperators.S2B, B, 0))
                    .intoArray(b, p - 2 * stride);
            ((ByteVector) p0.add(a2).max((short) 0).min((short) 255).convertShape(VectorOperators.S2B, B, 0))
                    .intoArray(b, p - stride);
            ((ByteVector) q0.sub(a1).max((short) 0).min((short) 255).convertShape(VectorOperators.S2B, B, 0))
                    .intoArray(b, p);
            ((ByteVector) q1.sub(a3).max((short) 0).min((short) 255).convertShape(VectorOperators.S2B, B, 0))
                    .intoArray(b, p + stride);
        } else {
            // 2-tap where hev (steps h1, h2 of the unclipped a), else 6-tap (p2..q2 weighted 27, 18, 9 of the
            // clipped a); each step is zero in the other lanes and where nothing is filtered
            ShortVector a = d.add(c);
            ShortVector ah = a.and(hev).and(m);
            ShortVector w = a.max((short) -128).min((short) 127).lanewise(AND_NOT, hev).and(m);
            ShortVector h1 = ah.add((short) 4).lanewise(ASHR, (short) 3).max((short) -16).min((short) 15);
            ShortVector h2 = ah.add((short) 3).lanewise(ASHR, (short) 3).max((short) -16).min((short) 15);
            ShortVector a1 = w.mul((short) 27).add((short) 63).lanewise(ASHR, (short) 7);
            ShortVector a2 = w.mul((short) 18).add((short) 63).lanewise(ASHR, (short) 7);
            ShortVector a3 = w.mul((short) 9).add((short) 63).lanewise(ASHR, (short) 7);
            ((ByteVector) p2.add(a3).max((short) 0).min((short) 255).convertShape(VectorOperators.S2B, B, 0))
                    .intoArray(b, p - 3 * stride);
            ((ByteVector) p1.add(a2).max((short) 0).min((short) 255).convertShape(VectorOperators.S2B, B, 0))
                    .intoArray(b, p - 2 * stride);
            ((ByteVector) p0.add(a1).add(h2).max((short) 0).min((short) 255)
                    .convertShape(VectorOperators.S2B, B, 0)).intoArray(b, p - stride);
            ((ByteVector) q0.sub(a1).sub(h1).max((short) 0).min((short) 255)
                    .convertShape(VectorOperators.S2B, B, 0)).intoArray(b, p);
            ((ByteVector) q1.sub(a2).max((short) 0).min((short) 255).convertShape(VectorOperators.S2B, B, 0))
                    .intoArray(b, p + stride);
            ((ByteVector) q2.sub(a3).max((short) 0).min((short) 255).convertShape(VectorOperators.S2B, B, 0))
                    .intoArray(b, p + 2 * stride);
        }
    }

    @Override
    public void yColumns(byte[] y, int p, int stride, boolean edge, boolean inner, int thresh, int ithresh, int hev,
            byte[] scratch) {
        if (!edge && !inner) {
            return;
        }
        int first = edge ? -4 : 0;
        int last = inner ? 16 : 4;
        for (int c = first; c < last; c += 8) {
            int c0 = Math.min(c, last - 8);
            columnsIn(y, p + c0, y, p + 8 * stride + c0, stride, scratch, COLUMNS + 16 * (c0 + 4));
        }
        if (edge) {
            edge(scratch, COLUMNS + 16 * 4, 16, thresh + 4, ithresh, hev, false);
        }
        if (inner) {
            for (int k = 1; k <= 3; k++) {
                edge(scratch, COLUMNS + 16 * (4 + 4 * k), 16, thresh, ithresh, hev, true);
            }
        }
        for (int c = first; c < last; c += 8) {
            int c0 = Math.min(c, last - 8);
            columnsOut(y, p + c0, y, p + 8 * stride + c0, stride, scratch, COLUMNS + 16 * (c0 + 4));
        }
    }

    @Override
    public void uvColumns(byte[] u, byte[] v, int p, int stride, boolean edge, boolean inner, int thresh,
            int ithresh, int hev, byte[] scratch) {
        if (!edge && !inner) {
            return;
        }
        int first = edge ? -4 : 0;
        int last = inner ? 8 : 4;
        for (int c = first; c < last; c += 8) {
            int c0 = Math.min(c, last - 8);
            columnsIn(u, p + c0, v, p + c0, stride, scratch, COLUMNS + 16 * (c0 + 4));
        }
        if (edge) {
            edge(scratch, COLUMNS + 16 * 4, 16, thresh + 4, ithresh, hev, false);
        }
        if (inner) {
            edge(scratch, COLUMNS + 16 * 8, 16, thresh, ithresh, hev, true);
        }
        for (int c = first; c < last; c += 8) {
            int c0 = Math.min(c, last - 8);
            columnsOut(u, p + c0, v, p + c0, stride, scratch, COLUMNS + 16 * (c0 + 4));
        }
    }

    /** U's eight columns and V's side by side in scratch rows, each edge filtered there as one 16-wide edge. */
    @Override
    public void uvRows(byte[] u, byte[] v, int p, int stride, boolean edge, boolean inner, int thresh, int ithresh,
            int hev, byte[] scratch) {
        if (!edge && !inner) {
            return;
        }
        int first = edge ? -4 : 0;
        int last = inner ? 8 : 4;
        for (int r = first; r < last; r++) {
            int s = COLUMNS + 16 * (r + 4);
            LONG.set(scratch, s, (long) LONG.get(u, p + r * stride));
            LONG.set(scratch, s + 8, (long) LONG.get(v, p + r * stride));
        }
        if (edge) {
            edge(scratch, COLUMNS + 16 * 4, 16, thresh + 4, ithresh, hev, false);
        }
        if (inner) {
            edge(scratch, COLUMNS + 16 * 8, 16, thresh, ithresh, hev, true);
        }
        for (int r = first + 1; r < last - 1; r++) {
            int s = COLUMNS + 16 * (r + 4);
            LONG.set(u, p + r * stride, (long) LONG.get(scratch, s));
            LONG.set(v, p + r * stride, (long) LONG.get(scratch, s + 8));
        }
    }

    /**
     * Eight columns from {@code top} and {@code bottom} (eight rows each, from {@code pt} and {@code pb}) into eight
     * scratch rows from {@code s}: scratch row {@code k} holds column {@code k} of the top rows, then of the bottom.
     */
    private static void columnsIn(byte[] top, int pt, byte[] bottom, int pb, int stride, byte[] scratch, int s) {
        for (int i = 0; i < 8; i++) {
            LONG.set(scratch, STAGE + 16 * i, (long) LONG.get(top, pt + i * stride));
            LONG.set(scratch, STAGE + 16 * i + 8, (long) LONG.get(bottom, pb + i * stride));
        }
        transpose(scratch, STAGE, s, null, 0, null, 0, 0);
    }

    /** The inverse of {@link #columnsIn}: eight scratch rows back into the planes' rows. */
    private static void columnsOut(byte[] top, int pt, byte[] bottom, int pb, int stride, byte[] scratch, int s) {
        transpose(scratch, s, 0, top, pt, bottom, pb, stride);
    }

    /**
     * Transposes the two 8x8 byte matrices in the 16-byte rows {@code from}, {@code from + 16}, ... of {@code b}
     * (the first in bytes 0-7 of each row, the second in bytes 8-15): into the rows from {@code to} of {@code b},
     * or, when {@code top} is not null, row {@code k}'s first half into the eight bytes at {@code pt + k * stride}
     * of {@code top} and its second half at {@code pb + k * stride} of {@code bottom}, straight from the vector's
     * lanes (through the staging area, its 8-byte reads of 16-byte stores cost the filter 1.5 ms of its 27 ms
     * for a 4000x3000 picture on JDK 17).
     */
    private static void transpose(byte[] b, int from, int to, byte[] top, int pt, byte[] bottom, int pb,
            int stride) {
        LongVector r0 = (LongVector) ByteVector.fromArray(B, b, from).reinterpretShape(L, 0);
        LongVector r1 = (LongVector) ByteVector.fromArray(B, b, from + 16).reinterpretShape(L, 0);
        LongVector r2 = (LongVector) ByteVector.fromArray(B, b, from + 32).reinterpretShape(L, 0);
        LongVector r3 = (LongVector) ByteVector.fromArray(B, b, from + 48).reinterpretShape(L, 0);
        LongVector r4 = (LongVector) ByteVector.fromArray(B, b, from + 64).reinterpretShape(L, 0);
        LongVector r5 = (LongVector) ByteVector.fromArray(B, b, from + 80).reinterpretShape(L, 0);
        LongVector r6 = (LongVector) ByteVector.fromArray(B, b, from + 96).reinterpretShape(L, 0);
        LongVector r7 = (LongVector) ByteVector.fromArray(B, b, from + 112).reinterpretShape(L, 0);
        // rows 4 apart swap 4x4 blocks: the high half of row i with the low half of row i + 4
        LongVector t = r0.lanewise(LSHR, 32).lanewise(XOR, r4).lanewise(AND, 0x00000000ffffffffL);
        r4 = r4.lanewise(XOR, t);
        r0 = r0.lanewise(XOR, t.lanewise(LSHL, 32));
        t = r1.lanewise(LSHR, 32).lanewise(XOR, r5).lanewise(AND, 0x00000000ffffffffL);
        r5 = r5.lanewise(XOR, t);
        r1 = r1.lanewise(XOR, t.lanewise(LSHL, 32));
        t = r2.lanewise(LSHR, 32).lanewise(XOR, r6).lanewise(AND, 0x00000000ffffffffL);
        r6 = r6.lanewise(XOR, t);
        r2 = r2.lanewise(XOR, t.lanewise(LSHL, 32));
        t = r3.lanewise(LSHR, 32).lanewise(XOR, r7).lanewise(AND, 0x00000000ffffffffL);
        r7 = r7.lanewise(XOR, t);
        r3 = r3.lanewise(XOR, t.lanewise(LSHL, 32));
        // rows 2 apart swap 2x2 blocks
        t = r0.lanewise(LSHR, 16).lanewise(XOR, r2).lanewise(AND, 0x0000ffff0000ffffL);
        r2 = r2.lanewise(XOR, t);
        r0 = r0.lanewise(XOR, t.lanewise(LSHL, 16));
        t = r1.lanewise(LSHR, 16).lanewise(XOR, r3).lanewise(AND, 0x0000ffff0000ffffL);
        r3 = r3.lanewise(XOR, t);
        r1 = r1.lanewise(XOR, t.lanewise(LSHL, 16));
        t = r4.lanewise(LSHR, 16).lanewise(XOR, r6).lanewise(AND, 0x0000ffff0000ffffL);
        r6 = r6.lanewise(XOR, t);
        r4 = r4.lanewise(XOR, t.lanewise(LSHL, 16));
        t = r5.lanewise(LSHR, 16).lanewise(XOR, r7).lanewise(AND, 0x0000ffff0000ffffL);
        r7 = r7.lanewise(XOR, t);
        r5 = r5.lanewise(XOR, t.lanewise(LSHL, 16));
        // neighbouring rows swap single bytes
        t = r0.lanewise(LSHR, 8).lanewise(XOR, r1).lanewise(AND, 0x00ff00ff00ff00ffL);
        r1 = r1.lanewise(XOR, t);
        r0 = r0.lanewise(XOR, t.lanewise(LSHL, 8));
        t = r2.lanewise(LSHR, 8).lanewise(XOR, r3).lanewise(AND, 0x00ff00ff00ff00ffL);
        r3 = r3.lanewise(XOR, t);
        r2 = r2.lanewise(XOR, t.lanewise(LSHL, 8));
        t = r4.lanewise(LSHR, 8).lanewise(XOR, r5).lanewise(AND, 0x00ff00ff00ff00ffL);
        r5 = r5.lanewise(XOR, t);
        r4 = r4.lanewise(XOR, t.lanewise(LSHL, 8));
        t = r6.lanewise(LSHR, 8).lanewise(XOR, r7).lanewise(AND, 0x00ff00ff00ff00ffL);
        r7 = r7.lanewise(XOR, t);
        r6 = r6.lanewise(XOR, t.lanewise(LSHL, 8));
        if (top != null) {
            LONG.set(top, pt, r0.lane(0));
            LONG.set(bottom, pb, r0.lane(1));
            LONG.set(top, pt + stride, r1.lane(0));
            LONG.set(bottom, pb + stride, r1.lane(1));
            LONG.set(top, pt + 2 * stride, r2.lane(0));
            LONG.set(bottom, pb + 2 * stride, r2.lane(1));
            LONG.set(top, pt + 3 * stride, r3.lane(0));
            LONG.set(bottom, pb + 3 * stride, r3.lane(1));
            LONG.set(top, pt + 4 * stride, r4.lane(0));
            LONG.set(bottom, pb + 4 * stride, r4.lane(1));
            LONG.set(top, pt + 5 * stride, r5.lane(0));
            LONG.set(bottom, pb + 5 * stride, r5.lane(1));
            LONG.set(top, pt + 6 * stride, r6.lane(0));
            LONG.set(bottom, pb + 6 * stride, r6.lane(1));
            LONG.set(top, pt + 7 * stride, r7.lane(0));
            LONG.set(bottom, pb + 7 * stride, r7.lane(1));
            return;
        }
        ((ByteVector) r0.reinterpretShape(B, 0)).intoArray(b, to);
        ((ByteVector) r1.reinterpretShape(B, 0)).intoArray(b, to + 16);
        ((ByteVector) r2.reinterpretShape(B, 0)).intoArray(b, to + 32);
        ((ByteVector) r3.reinterpretShape(B, 0)).intoArray(b, to + 48);
        ((ByteVector) r4.reinterpretShape(B, 0)).intoArray(b, to + 64);
        ((ByteVector) r5.reinterpretShape(B, 0)).intoArray(b, to + 80);
        ((ByteVector) r6.reinterpretShape(B, 0)).intoArray(b, to + 96);
        ((ByteVector) r7.reinterpretShape(B, 0)).intoArray(b, to + 112);
    }
}

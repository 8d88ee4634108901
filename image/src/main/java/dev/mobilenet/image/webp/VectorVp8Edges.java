package dev.mobilenet.image.webp;

import static jdk.incubator.vector.VectorOperators.ASHR;
import static jdk.incubator.vector.VectorOperators.GT;
import static jdk.incubator.vector.VectorOperators.LE;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The Vector API {@link Vp8EdgeKernels}: the 16 positions of an edge in the lanes of 16-bit vectors (the eight
 * rows read as bytes and widened), every filter computed for every lane and the result chosen per lane by the
 * scalar loop's tests (the two limits as one sign test, the high-variance choice as a blend), the changed rows
 * narrowed and stored whole. Both edges share one flat method that calls nothing but the Vector API: C2 stops
 * inlining ordinary methods once a compilation holds about 18,000 nodes ({@code NodeCountInliningCutoff}), which
 * this kernel passes half-way, and every vector handed to a method left out of line is boxed (on JDK 17 and 25
 * alike, a one-line store helper cost 200 MB of garbage per 4000x3000 picture and 40% of the filter's time). The
 * API's own methods are inlined by annotation whatever the size.
 */
final class VectorVp8Edges implements Vp8EdgeKernels {
    private static final VectorSpecies<Byte> B = ByteVector.SPECIES_128;
    private static final VectorSpecies<Short> S = ShortVector.SPECIES_256;

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
        VectorMask<Short> m = edge.sub((short) (2 * thresh + 1)).max(interior.sub((short) ithresh))
                .compare(LE, (short) 0);
        if (!m.anyTrue()) {
            return;
        }
        // where the variance is high only p0 and q0 change (2-tap); the other rows keep their value there
        VectorMask<Short> hev = d10.max(e10).compare(GT, (short) hevThresh);
        ShortVector d = q0.sub(p0).mul((short) 3);
        ShortVector a = d.add(p1.sub(q1).max((short) -128).min((short) 127));
        ShortVector hp0 = p0.add(a.add((short) 3).lanewise(ASHR, 3).max((short) -16).min((short) 15))
                .max((short) 0).min((short) 255);
        ShortVector hq0 = q0.sub(a.add((short) 4).lanewise(ASHR, 3).max((short) -16).min((short) 15))
                .max((short) 0).min((short) 255);
        if (inner) {
            // 4-tap: p1..q1 from 3 * (q0 - p0) alone
            ShortVector a1 = d.add((short) 4).lanewise(ASHR, 3).max((short) -16).min((short) 15);
            ShortVector a2 = d.add((short) 3).lanewise(ASHR, 3).max((short) -16).min((short) 15);
            ShortVector a3 = a1.add((short) 1).lanewise(ASHR, 1);
            ((ByteVector) p1.blend(p1.add(a3).max((short) 0).min((short) 255).blend(p1, hev), m)
                    .convertShape(VectorOperators.S2B, B, 0)).intoArray(b, p - 2 * stride);
            ((ByteVector) p0.blend(p0.add(a2).max((short) 0).min((short) 255).blend(hp0, hev), m)
                    .convertShape(VectorOperators.S2B, B, 0)).intoArray(b, p - stride);
            ((ByteVector) q0.blend(q0.sub(a1).max((short) 0).min((short) 255).blend(hq0, hev), m)
                    .convertShape(VectorOperators.S2B, B, 0)).intoArray(b, p);
            ((ByteVector) q1.blend(q1.sub(a3).max((short) 0).min((short) 255).blend(q1, hev), m)
                    .convertShape(VectorOperators.S2B, B, 0)).intoArray(b, p + stride);
        } else {
            // 6-tap: p2..q2 weighted 27, 18, 9 of the clipped step
            ShortVector w = a.max((short) -128).min((short) 127);
            ShortVector a1 = w.mul((short) 27).add((short) 63).lanewise(ASHR, 7);
            ShortVector a2 = w.mul((short) 18).add((short) 63).lanewise(ASHR, 7);
            ShortVector a3 = w.mul((short) 9).add((short) 63).lanewise(ASHR, 7);
            ((ByteVector) p2.blend(p2.add(a3).max((short) 0).min((short) 255).blend(p2, hev), m)
                    .convertShape(VectorOperators.S2B, B, 0)).intoArray(b, p - 3 * stride);
            ((ByteVector) p1.blend(p1.add(a2).max((short) 0).min((short) 255).blend(p1, hev), m)
                    .convertShape(VectorOperators.S2B, B, 0)).intoArray(b, p - 2 * stride);
            ((ByteVector) p0.blend(p0.add(a1).max((short) 0).min((short) 255).blend(hp0, hev), m)
                    .convertShape(VectorOperators.S2B, B, 0)).intoArray(b, p - stride);
            ((ByteVector) q0.blend(q0.sub(a1).max((short) 0).min((short) 255).blend(hq0, hev), m)
                    .convertShape(VectorOperators.S2B, B, 0)).intoArray(b, p);
            ((ByteVector) q1.blend(q1.sub(a2).max((short) 0).min((short) 255).blend(q1, hev), m)
                    .convertShape(VectorOperators.S2B, B, 0)).intoArray(b, p + stride);
            ((ByteVector) q2.blend(q2.sub(a3).max((short) 0).min((short) 255).blend(q2, hev), m)
                    .convertShape(VectorOperators.S2B, B, 0)).intoArray(b, p + 2 * stride);
        }
    }
}

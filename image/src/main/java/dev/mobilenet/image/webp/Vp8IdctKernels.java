package dev.mobilenet.image.webp;

/**
 * The inverse transforms added to their predictions: the full 4x4 inverse DCT as libwebp's SSE2 code computes it,
 * and the DC-only one. The scalar reference {@link ScalarVp8Idct} and the Vector API twin {@link VectorVp8Idct}
 * write the same bytes ({@code Vp8IdctTwinTest}); {@link Vp8Transforms} chooses one once.
 *
 * <p>One call takes a macroblock's blocks of both kinds, so that the Vector API code sits in a method too large
 * for C2 to inline into the decoder: inlined there (as a small per-block method was), parts of it were left
 * un-intrinsified in some compilations and every vector boxed.
 */
interface Vp8IdctKernels {
    /**
     * Adds the full inverse DCT of the blocks named in {@code full}, then the DC-only transform, {@code
     * (coefficient 0 + 4) >> 3} on every pixel, of those named in {@code dc}. Bit {@code 31 - 2n} of a mask names
     * block {@code n} (the high bit of its 2-bit code in {@link Vp8Decoder}'s layout; the other bits are clear):
     * its 16 coefficients are at {@code in[off + 16n]} (row-major), its 4x4 pixels at {@code w[d]} plus {@code 4}
     * per block column and {@code 4 * BPS} per block row, {@code 1 << log2Columns} blocks to a row, pixel rows
     * {@link Vp8Decoder#BPS} bytes apart. Sums are clamped to 0..255.
     */
    void transforms(int full, int dc, int log2Columns, short[] in, int off, byte[] w, int d);

    /** The block a {@link #transforms} mask's lowest set bit names. */
    static int block(int mask) {
        return (31 - Integer.numberOfTrailingZeros(mask)) >> 1;
    }

    /** Where block {@code n}'s pixels start, for the blocks' top-left pixel at {@code w[d]}, as {@link #transforms}. */
    static int pixels(int d, int n, int log2Columns) {
        return d + 4 * (n & ((1 << log2Columns) - 1)) + 4 * Vp8Decoder.BPS * (n >> log2Columns);
    }

    /** Adds {@code v} to the pixel {@code w[i]}, clamped to 0..255. */
    static void addClamped(byte[] w, int i, int v) {
        int p = (w[i] & 0xff) + v;
        w[i] = (byte) (p < 0 ? 0 : Math.min(p, 255));
    }
}

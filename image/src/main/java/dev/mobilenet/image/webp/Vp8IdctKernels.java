package dev.mobilenet.image.webp;

/**
 * The full 4x4 inverse DCT added to its prediction, as libwebp's SSE2 code computes it, and the DC-only one. The scalar reference
 * {@link ScalarVp8Idct} and the Vector API twin {@link VectorVp8Idct} write the same bytes
 * ({@code Vp8IdctTwinTest}); {@link Vp8Transforms} chooses one once.
 */
interface Vp8IdctKernels {
    /**
     * Adds the inverse DCT of the 16 coefficients at {@code in[off]} (row-major) to the 4x4 pixels at {@code w[d]},
     * rows {@link Vp8Decoder#BPS} bytes apart, clamped to 0..255.
     */
    void full(short[] in, int off, byte[] w, int d);

    /**
     * Adds libwebp's DC-only transform of coefficient {@code dc}, {@code (dc + 4) >> 3}, to the 4x4 pixels at
     * {@code w[d]}, clamped to 0..255.
     */
    void dc(int dc, byte[] w, int d);
}

package dev.mobilenet.image.webp;

/**
 * The inner run of {@link YuvToRgb}'s fancy upsampling and conversion: for chroma columns {@code x} in
 * {@code [x0, x1)}, the output pixels {@code 2x - 1} and {@code 2x} of a pair of rows. The scalar reference
 * {@link ScalarVp8Upsample} and the Vector API twin {@link VectorVp8Upsample} write the same bytes
 * ({@code Vp8UpsampleTwinTest}); {@link YuvToRgb} chooses one once.
 */
interface Vp8UpsampleKernels {
    /**
     * Converts the luma row at {@code topY} (between chroma rows {@code cTop} above and {@code cCur}) to RGB at
     * {@code topDst}, and when {@code botY} is not negative the row below it to {@code botDst}; chroma columns
     * {@code x0 >= 1} to {@code x1}, exclusive.
     */
    void pairs(byte[] y, int topY, int botY, byte[] u, byte[] v, int cTop, int cCur, int x0, int x1, byte[] dst,
            int topDst, int botDst);
}

package dev.mobilenet.image.webp;

/** The scalar {@link Vp8UpsampleKernels}: per chroma column, the 9:3:3:1 weights of libwebp's fancy upsampler. */
final class ScalarVp8Upsample implements Vp8UpsampleKernels {
    static final ScalarVp8Upsample INSTANCE = new ScalarVp8Upsample();

    private ScalarVp8Upsample() {
    }

    @Override
    public void pairs(byte[] y, int topY, int botY, byte[] u, byte[] v, int cTop, int cCur, int x0, int x1,
            byte[] dst, int topDst, int botDst) {
        for (int x = x0; x < x1; x++) {
            int tlU = u[cTop + x - 1] & 0xff;
            int tlV = v[cTop + x - 1] & 0xff;
            int lU = u[cCur + x - 1] & 0xff;
            int lV = v[cCur + x - 1] & 0xff;
            int tU = u[cTop + x] & 0xff;
            int tV = v[cTop + x] & 0xff;
            int cU = u[cCur + x] & 0xff;
            int cV = v[cCur + x] & 0xff;
            int avgU = tlU + tU + lU + cU + 8;
            int avgV = tlV + tV + lV + cV + 8;
            int d12U = (avgU + 2 * (tU + lU)) >> 3;
            int d12V = (avgV + 2 * (tV + lV)) >> 3;
            int d03U = (avgU + 2 * (tlU + cU)) >> 3;
            int d03V = (avgV + 2 * (tlV + cV)) >> 3;
            int t = topDst + (2 * x - 1) * 3;
            YuvToRgb.put(dst, t, y[topY + 2 * x - 1] & 0xff, (d12U + tlU) >> 1, (d12V + tlV) >> 1);
            YuvToRgb.put(dst, t + 3, y[topY + 2 * x] & 0xff, (d03U + tU) >> 1, (d03V + tV) >> 1);
            if (botY >= 0) {
                int b = botDst + (2 * x - 1) * 3;
                YuvToRgb.put(dst, b, y[botY + 2 * x - 1] & 0xff, (d03U + lU) >> 1, (d03V + lV) >> 1);
                YuvToRgb.put(dst, b + 3, y[botY + 2 * x] & 0xff, (d12U + cU) >> 1, (d12V + cV) >> 1);
            }
        }
    }
}

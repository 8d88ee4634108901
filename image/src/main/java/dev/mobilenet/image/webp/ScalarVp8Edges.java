package dev.mobilenet.image.webp;

/** The scalar {@link Vp8EdgeKernels}: {@link Vp8LoopFilter}'s per-position loops. */
final class ScalarVp8Edges implements Vp8EdgeKernels {
    static final ScalarVp8Edges INSTANCE = new ScalarVp8Edges();

    private ScalarVp8Edges() {
    }

    @Override
    public void mbEdge16(byte[] b, int p, int stride, int thresh, int ithresh, int hevThresh) {
        Vp8LoopFilter.mbEdge(b, p, stride, 1, 16, thresh, ithresh, hevThresh);
    }

    @Override
    public void innerEdge16(byte[] b, int p, int stride, int thresh, int ithresh, int hevThresh) {
        Vp8LoopFilter.innerEdge(b, p, stride, 1, 16, thresh, ithresh, hevThresh);
    }
}

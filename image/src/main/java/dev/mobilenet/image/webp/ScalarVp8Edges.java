package dev.mobilenet.image.webp;

/** The scalar {@link Vp8EdgeKernels}: {@link Vp8LoopFilter}'s per-position loops, straight on the planes. */
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

    @Override
    public void yColumns(byte[] y, int p, int stride, boolean edge, boolean inner, int thresh, int ithresh, int hev,
            byte[] scratch) {
        if (edge) {
            Vp8LoopFilter.mbEdge(y, p, 1, stride, 16, thresh + 4, ithresh, hev);
        }
        if (inner) {
            for (int k = 4; k < 16; k += 4) {
                Vp8LoopFilter.innerEdge(y, p + k, 1, stride, 16, thresh, ithresh, hev);
            }
        }
    }

    @Override
    public void uvColumns(byte[] u, byte[] v, int p, int stride, boolean edge, boolean inner, int thresh,
            int ithresh, int hev, byte[] scratch) {
        if (edge) {
            Vp8LoopFilter.mbEdge(u, p, 1, stride, 8, thresh + 4, ithresh, hev);
            Vp8LoopFilter.mbEdge(v, p, 1, stride, 8, thresh + 4, ithresh, hev);
        }
        if (inner) {
            Vp8LoopFilter.innerEdge(u, p + 4, 1, stride, 8, thresh, ithresh, hev);
            Vp8LoopFilter.innerEdge(v, p + 4, 1, stride, 8, thresh, ithresh, hev);
        }
    }

    @Override
    public void uvRows(byte[] u, byte[] v, int p, int stride, boolean edge, boolean inner, int thresh, int ithresh,
            int hev, byte[] scratch) {
        if (edge) {
            Vp8LoopFilter.mbEdge(u, p, stride, 1, 8, thresh + 4, ithresh, hev);
            Vp8LoopFilter.mbEdge(v, p, stride, 1, 8, thresh + 4, ithresh, hev);
        }
        if (inner) {
            Vp8LoopFilter.innerEdge(u, p + 4 * stride, stride, 1, 8, thresh, ithresh, hev);
            Vp8LoopFilter.innerEdge(v, p + 4 * stride, stride, 1, 8, thresh, ithresh, hev);
        }
    }
}

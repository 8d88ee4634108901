package dev.mobilenet.image.webp;

/**
 * The normal loop filter's edges: across one horizontal luma edge of 16 pixels (the edge above row {@code p},
 * rows {@code stride} bytes apart), and a macroblock's vertical luma edges, vertical chroma edges and horizontal
 * chroma edges as {@link Vp8LoopFilter} orders them. The scalar reference {@link ScalarVp8Edges} and the Vector
 * API twin {@link VectorVp8Edges} are equal byte for byte ({@code Vp8EdgeTwinTest}); {@link Vp8LoopFilter} chooses
 * one once. The macroblock methods take {@code thresh} as the inner edges' limit (the macroblock edge's is
 * {@code thresh + 4}), filter the macroblock edge when {@code edge} and the inner edges when {@code inner}, and may
 * use {@code scratch} ({@link #SCRATCH} bytes) as they like.
 */
interface Vp8EdgeKernels {
    /** Where the usable scratch block starts, and how many bytes follow it unused. */
    int MARGIN = 64;

    /**
     * Bytes of the scratch block the macroblock methods need: {@link #MARGIN} unused bytes, the block, and the margin
     * again. The margins keep the block off the cache lines of whatever is allocated next to it: the decoder's
     * scratch block is allocated next to state the parsing thread writes at every macroblock, while the block is
     * written by whichever thread filters, and two cores writing one 64-byte line take turns owning it.
     */
    int SCRATCH = MARGIN + 20 * 16 + 8 * 16 + MARGIN;

    /** The macroblock edge: the 6-tap filter, or the 2-tap one where the edge has high variance. */
    void mbEdge16(byte[] b, int p, int stride, int thresh, int ithresh, int hevThresh);

    /** An inner edge: the 4-tap filter, or the 2-tap one where the edge has high variance. */
    void innerEdge16(byte[] b, int p, int stride, int thresh, int ithresh, int hevThresh);

    /** The vertical luma edges of the macroblock whose top-left pixel is {@code p}: left edge, then the three inner. */
    void yColumns(byte[] y, int p, int stride, boolean edge, boolean inner, int thresh, int ithresh, int hev,
            byte[] scratch);

    /** The vertical chroma edges of the macroblock whose top-left chroma pixel is {@code p}, U then V. */
    void uvColumns(byte[] u, byte[] v, int p, int stride, boolean edge, boolean inner, int thresh, int ithresh,
            int hev, byte[] scratch);

    /** The horizontal chroma edges of the macroblock whose top-left chroma pixel is {@code p}, U then V. */
    void uvRows(byte[] u, byte[] v, int p, int stride, boolean edge, boolean inner, int thresh, int ithresh, int hev,
            byte[] scratch);
}

package dev.mobilenet.image.webp;

/**
 * The normal loop filter across one horizontal luma edge of 16 pixels (the edge above row {@code p}, rows
 * {@code stride} bytes apart): the scalar reference {@link ScalarVp8Edges} and the Vector API twin
 * {@link VectorVp8Edges}, equal byte for byte ({@code Vp8EdgeTwinTest}). {@link Vp8LoopFilter} chooses one once.
 */
interface Vp8EdgeKernels {
    /** The macroblock edge: the 6-tap filter, or the 2-tap one where the edge has high variance. */
    void mbEdge16(byte[] b, int p, int stride, int thresh, int ithresh, int hevThresh);

    /** An inner edge: the 4-tap filter, or the 2-tap one where the edge has high variance. */
    void innerEdge16(byte[] b, int p, int stride, int thresh, int ithresh, int hevThresh);
}

package dev.mobilenet.kernels;

/**
 * The inference engine's kernel family over the HWC layout (one image, pixel p's channels at {@code off + p * ld}).
 * Two implementations: {@link ScalarNhwc} (plain Java, the reference) and {@code VectorNhwc} (Vector API), with the
 * same results; {@link Kernels} picks one at start-up and forwards to it. Outputs first, sizes explicit, nothing
 * allocated. Padding channels between {@code c} and {@code ld} may be written, always with values computed from zero
 * weights and zero bias.
 */
public interface NhwcKernels {
    /** Channel counts, row strides, weights and biases are padded to a multiple of this. */
    int channelAlign();

    /**
     * 1x1 convolution over pixels {@code p0 <= p < p1}:
     * {@code out[p][co] = act(bias[co] + sum_ci in[p][ci] * w[ci][co]) + res[p][co]}.
     *
     * @param w   weights packed by {@link ScalarNhwc#packPointwise} for panels of {@code panel} output channels
     * @param res residual added after the activation, or null
     */
    void pointwise(float[] out, int outOff, int ldo, float[] in, int inOff, int ldi, float[] w, int panel,
                   float[] bias, Activation act, float[] res, int resOff, int ldr, int cin, int cout, int p0, int p1);

    /**
     * Depthwise convolution for output rows {@code oy0 <= oy < oy1}; taps outside the input read zero.
     *
     * @param w weights [k*k][ldw], tap (ky, kx) at row ky*k+kx
     */
    void depthwise(float[] out, int outOff, int ldo, float[] in, int inOff, int ldi, float[] w, int ldw,
                   float[] bias, Activation act, int c, ConvGeom g, int oy0, int oy1);

    /**
     * A one-group convolution reading a CHW image (the stem, on the caller's NCHW input) and writing HWC rows
     * {@code oy0 <= oy < oy1}.
     *
     * @param w weights [(ky*k+kx)*cin+ci][ldw]
     */
    void convFromChw(float[] out, int outOff, int ldo, float[] in, int inOff, float[] w, int ldw, float[] bias,
                     Activation act, int cin, int cout, ConvGeom g, int oy0, int oy1);

    /** Any grouped convolution, HWC to HWC, output rows {@code oy0 <= oy < oy1}; weights in PyTorch's layout. */
    void conv(float[] out, int outOff, int ldo, float[] in, int inOff, int ldi, float[] w, float[] bias,
              Activation act, int cin, int cout, int groups, ConvGeom g, int oy0, int oy1);

    /** Mean over the pixels of each channel: out[ch] = mean_p in[p][ch]. */
    void globalAvgPool(float[] out, int outOff, float[] in, int inOff, int ldi, int c, int hw);

    /** Multiplies each channel by its gate: x[p][ch] *= gate[ch]. */
    void channelScale(float[] x, int off, int ld, float[] gate, int gateOff, int c, int hw);

    /**
     * Rows {@code o0 <= o < o1} of {@code out[o] = bias[o] + sum_i w[o][i] * x[i]}, written to {@code out[outOff + o]};
     * w is [rows][inDim], bias may be null. Each row's result does not depend on the range it is computed in.
     */
    void matvec(float[] out, int outOff, float[] x, int xOff, float[] w, float[] bias, int inDim, int o0, int o1);

    /** In-place activation over {@code x[off, off+len)}. */
    void activation(float[] x, int off, int len, Activation act);

    /** Residual add: out[i] += in[i]. */
    void add(float[] out, int outOff, float[] in, int inOff, int len);
}

package dev.mobilenet.kernels;

/**
 * Plain-Java reference kernels for the engine's layout: one image as HWC, pixel p's channels at
 * {@code off + p * ld}, where the row stride {@code ld} may exceed the channel count (channels are padded to the
 * vector length). The scalar implementation of {@link NhwcKernels}, and the reference its Vector API twin is tested
 * against; stateless, outputs first, sizes explicit. Scalar activations are {@link Activation#apply}.
 */
public final class ScalarNhwc implements NhwcKernels {
    public static final ScalarNhwc INSTANCE = new ScalarNhwc();

    private ScalarNhwc() {
    }

    @Override
    public int channelAlign() {
        return 1;
    }

    /**
     * 1x1 convolution over pixels {@code p0 <= p < p1}:
     * {@code out[p][co] = act(bias[co] + sum_ci in[p][ci] * w[ci][co]) + res[p][co]}.
     *
     * @param w     weights packed by {@link #packPointwise} for panels of {@code panel} output channels
     * @param res   residual added after the activation, or null
     */
    @Override
    public void pointwise(float[] out, int outOff, int ldo, float[] in, int inOff, int ldi, float[] w,
                          int panel, float[] bias, Activation act, float[] res, int resOff, int ldr,
                          int cin, int cout, int p0, int p1) {
        int np = paddedForPanel(cout, panel);
        for (int p = p0; p < p1; p++) {
            int x = inOff + p * ldi;
            for (int co = 0; co < cout; co++) {
                float a = bias[co];
                for (int ci = 0; ci < cin; ci++) {
                    a += in[x + ci] * w[packedIndex(ci, co, cin, cout, panel, np)];
                }
                a = act.apply(a);
                if (res != null) {
                    a += res[resOff + p * ldr + co];
                }
                out[outOff + p * ldo + co] = a;
            }
        }
    }

    /**
     * Point-wise weights [cout][cin] rearranged into panels of {@code panel} (two vectors of) output channels, the
     * last panel one vector wide when the channels, padded to a vector, do not fill it: panel by panel, input
     * channel by input channel, so a kernel walks each panel with a constant stride. Padding channels are zero.
     */
    public static float[] packPointwise(float[] w, int cin, int cout, int panel) {
        int np = paddedForPanel(cout, panel);
        float[] p = new float[cin * np];
        for (int co = 0; co < cout; co++) {
            for (int ci = 0; ci < cin; ci++) {
                p[packedIndex(ci, co, cin, cout, panel, np)] = w[co * cin + ci];
            }
        }
        return p;
    }

    /** The inverse of {@link #packPointwise}. */
    public static float[] unpackPointwise(float[] packed, int cin, int cout, int panel) {
        int np = paddedForPanel(cout, panel);
        float[] w = new float[cout * cin];
        for (int co = 0; co < cout; co++) {
            for (int ci = 0; ci < cin; ci++) {
                w[co * cin + ci] = packed[packedIndex(ci, co, cin, cout, panel, np)];
            }
        }
        return w;
    }

    /** Channels padded to one vector, half a panel. */
    static int paddedForPanel(int cout, int panel) {
        int lanes = Math.max(1, panel / 2);
        return (cout + lanes - 1) / lanes * lanes;
    }

    static int packedIndex(int ci, int co, int cin, int cout, int panel, int np) {
        int n = co - co % panel;
        int width = Math.min(panel, np - n);
        return n * cin + ci * width + co - n;
    }

    /**
     * Depthwise convolution for output rows {@code oy0 <= oy < oy1}; taps outside the input read zero.
     *
     * @param w weights [k*k][ldw], tap (ky, kx) at row ky*k+kx
     */
    @Override
    public void depthwise(float[] out, int outOff, int ldo, float[] in, int inOff, int ldi, float[] w,
                          int ldw, float[] bias, Activation act, int c, ConvGeom g, int oy0, int oy1) {
        for (int oy = oy0; oy < oy1; oy++) {
            for (int ox = 0; ox < g.ow(); ox++) {
                int o = outOff + (oy * g.ow() + ox) * ldo;
                for (int ch = 0; ch < c; ch++) {
                    float a = bias[ch];
                    for (int ky = g.firstTapY(oy); ky < g.endTapY(oy); ky++) {
                        int iy = oy * g.stride() - g.padTop() + ky * g.dilation();
                        for (int kx = g.firstTapX(ox); kx < g.endTapX(ox); kx++) {
                            int ix = ox * g.stride() - g.padLeft() + kx * g.dilation();
                            a += in[inOff + (iy * g.w() + ix) * ldi + ch] * w[(ky * g.k() + kx) * ldw + ch];
                        }
                    }
                    out[o + ch] = act.apply(a);
                }
            }
        }
    }

    /**
     * A one-group convolution reading a CHW image (the stem, on the caller's NCHW input) and writing HWC rows
     * {@code oy0 <= oy < oy1}.
     *
     * @param w weights [(ky*k+kx)*cin+ci][ldw]
     */
    @Override
    public void convFromChw(float[] out, int outOff, int ldo, float[] in, int inOff, float[] w, int ldw,
                            float[] bias, Activation act, int cin, int cout, ConvGeom g, int oy0, int oy1) {
        int plane = g.h() * g.w();
        for (int oy = oy0; oy < oy1; oy++) {
            for (int ox = 0; ox < g.ow(); ox++) {
                int o = outOff + (oy * g.ow() + ox) * ldo;
                for (int co = 0; co < cout; co++) {
                    float a = bias[co];
                    for (int ky = g.firstTapY(oy); ky < g.endTapY(oy); ky++) {
                        int iy = oy * g.stride() - g.padTop() + ky * g.dilation();
                        for (int kx = g.firstTapX(ox); kx < g.endTapX(ox); kx++) {
                            int ix = ox * g.stride() - g.padLeft() + kx * g.dilation();
                            int wr = (ky * g.k() + kx) * cin;
                            for (int ci = 0; ci < cin; ci++) {
                                a += in[inOff + ci * plane + iy * g.w() + ix] * w[(wr + ci) * ldw + co];
                            }
                        }
                    }
                    out[o + co] = act.apply(a);
                }
            }
        }
    }

    /**
     * Any grouped convolution, HWC in and out, rows {@code oy0 <= oy < oy1}; the engine's fallback for shapes no
     * specialised kernel covers.
     *
     * @param w weights in PyTorch's layout [cout][cin/groups][k][k]
     */
    @Override
    public void conv(float[] out, int outOff, int ldo, float[] in, int inOff, int ldi, float[] w,
                     float[] bias, Activation act, int cin, int cout, int groups, ConvGeom g, int oy0,
                     int oy1) {
        int cinG = cin / groups;
        int coutG = cout / groups;
        int k = g.k();
        for (int oy = oy0; oy < oy1; oy++) {
            for (int ox = 0; ox < g.ow(); ox++) {
                int o = outOff + (oy * g.ow() + ox) * ldo;
                for (int co = 0; co < cout; co++) {
                    int c0 = (co / coutG) * cinG;
                    float a = bias[co];
                    for (int ky = g.firstTapY(oy); ky < g.endTapY(oy); ky++) {
                        int iy = oy * g.stride() - g.padTop() + ky * g.dilation();
                        for (int kx = g.firstTapX(ox); kx < g.endTapX(ox); kx++) {
                            int ix = ox * g.stride() - g.padLeft() + kx * g.dilation();
                            int x = inOff + (iy * g.w() + ix) * ldi + c0;
                            for (int ci = 0; ci < cinG; ci++) {
                                a += in[x + ci] * w[((co * cinG + ci) * k + ky) * k + kx];
                            }
                        }
                    }
                    out[o + co] = act.apply(a);
                }
            }
        }
    }

    /** {@code out[c] = mean over pixels of in[p][c]}, summed in pixel order. */
    @Override
    public void globalAvgPool(float[] out, int outOff, float[] in, int inOff, int ldi, int c, int hw) {
        for (int ch = 0; ch < c; ch++) {
            float s = 0f;
            for (int p = 0; p < hw; p++) {
                s += in[inOff + p * ldi + ch];
            }
            out[outOff + ch] = s / hw;
        }
    }

    /** {@code x[p][c] *= gate[c]} for every pixel. */
    @Override
    public void channelScale(float[] x, int off, int ld, float[] gate, int gateOff, int c, int hw) {
        for (int p = 0; p < hw; p++) {
            for (int ch = 0; ch < c; ch++) {
                x[off + p * ld + ch] *= gate[gateOff + ch];
            }
        }
    }

    @Override
    public void matvec(float[] out, int outOff, float[] x, int xOff, float[] w, float[] bias, int inDim, int o0,
                       int o1) {
        for (int o = o0; o < o1; o++) {
            float acc = 0f;
            int wb = o * inDim;
            for (int i = 0; i < inDim; i++) {
                acc += w[wb + i] * x[xOff + i];
            }
            out[outOff + o] = acc + (bias == null ? 0f : bias[o]);
        }
    }

    @Override
    public void activation(float[] x, int off, int len, Activation act) {
        if (act == Activation.IDENTITY) {
            return;
        }
        for (int i = off; i < off + len; i++) {
            x[i] = act.apply(x[i]);
        }
    }

    @Override
    public void add(float[] out, int outOff, float[] in, int inOff, int len) {
        for (int i = 0; i < len; i++) {
            out[outOff + i] += in[inOff + i];
        }
    }
}

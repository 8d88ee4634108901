package dev.mobilenet.model;

import dev.mobilenet.kernels.Activation;
import dev.mobilenet.kernels.ConvGeom;
import dev.mobilenet.kernels.Kernels;
import dev.mobilenet.nn.BatchNorm2d;
import dev.mobilenet.nn.Conv2d;
import dev.mobilenet.nn.Padding;

/**
 * A convolution with its BatchNorm folded into weights and bias, and the activation applied in place.
 * Exporters read it through the accessors; the arrays are shared, not copied, and must not be modified.
 */
public final class FusedConv implements FusedStep {
    /** Which kernel runs it. STEM: one group, reading the caller's CHW input. */
    enum Kind { POINTWISE, DEPTHWISE, STEM, GENERAL }

    private final String name;
    final int cin;
    final int cout;
    final int k;
    final int stride;
    final int dilation;
    final int groups;
    final Padding padding;
    /** Folded weights in PyTorch's layout, kept for GENERAL convs only; the others hold them packed. */
    private final float[] general;
    final float[] b;
    final Activation act;
    final Kind kind;
    final int coutPad;
    final float[] packed;
    final float[] biasPad;

    private FusedConv(String name, Conv2d c, float[] w, float[] b, Activation act, boolean chwInput) {
        this.name = name;
        this.cin = c.inChannels;
        this.cout = c.outChannels;
        this.k = c.kernel;
        this.stride = c.stride;
        this.dilation = c.dilation;
        this.groups = c.groups;
        this.padding = c.padding;
        this.b = b;
        this.act = act;
        if (chwInput && c.groups != 1) {
            throw new IllegalArgumentException(name + ": the first convolution must have one group");
        }
        this.kind = chwInput ? Kind.STEM : c.isPointwise() ? Kind.POINTWISE : c.isDepthwise() ? Kind.DEPTHWISE : Kind.GENERAL;
        this.coutPad = Kernels.alignChannels(cout);
        this.biasPad = java.util.Arrays.copyOf(b, coutPad);
        this.packed = pack(w);
        this.general = kind == Kind.GENERAL ? w : null;
    }

    /** Folds {@code y = gamma * (conv(x) + bias - mean) / sqrt(var + eps) + beta} into the conv, in double precision. */
    static FusedConv fold(String name, Conv2d c, BatchNorm2d bn, boolean chwInput) {
        float[] w = c.weight.clone();
        float[] b = new float[c.outChannels];
        if (c.bias != null) {
            System.arraycopy(c.bias, 0, b, 0, b.length);
        }
        int per = w.length / c.outChannels;
        for (int o = 0; o < c.outChannels; o++) {
            double scale = bn.weight[o] / Math.sqrt((double) bn.runningVar[o] + bn.eps);
            for (int i = o * per; i < (o + 1) * per; i++) {
                w[i] = (float) (c.weight[i] * scale);
            }
            b[o] = (float) (((double) b[o] - bn.runningMean[o]) * scale + bn.bias[o]);
        }
        return new FusedConv(name, c, w, b, bn.act, chwInput);
    }

    @Override
    public String name() {
        return name;
    }

    public int inChannels() {
        return cin;
    }

    public int outChannels() {
        return cout;
    }

    public int kernel() {
        return k;
    }

    public int stride() {
        return stride;
    }

    public int dilation() {
        return dilation;
    }

    public int groups() {
        return groups;
    }

    public Padding padding() {
        return padding;
    }

    /**
     * Folded weights [out][in/groups][k][k]. Rebuilt from the packed kernel layout on each call (exporters read it
     * once), so a compiled model holds its weights only once.
     */
    public float[] weight() {
        switch (kind) {
            case POINTWISE:
                return Kernels.unpackPointwise(packed, cin, cout);
            case DEPTHWISE:
            case STEM: {
                float[] u = new float[cout * tapInputs() * k * k];
                relayout(u, packed, false);
                return u;
            }
            default:
                return general.clone();
        }
    }

    /** Folded bias [out]. */
    public float[] bias() {
        return b;
    }

    public Activation activation() {
        return act;
    }

    public int outSize(int in) {
        return padding.outSize(in, k, stride, dilation);
    }

    /** Channels of this conv's output rows in the engine's HWC buffers (cout padded to the vector length). */
    int outStride() {
        return coutPad;
    }

    ConvGeom geometry(int h, int wd) {
        return new ConvGeom(h, wd, k, stride, dilation, padding.before(h, k, stride, dilation),
                padding.before(wd, k, stride, dilation), outSize(h), outSize(wd));
    }

    /** Units of work that {@link #run} splits over: output pixels for a point-wise conv, output rows otherwise. */
    int units(ConvGeom g) {
        return kind == Kind.POINTWISE ? g.oh() * g.ow() : g.oh();
    }

    /**
     * Computes units {@code u0 <= u < u1} of the output (HWC, row stride {@link #outStride()}). The input is HWC
     * with row stride {@code ldi}, or CHW for the stem. {@code res}, when given, is added after the activation
     * (the block's shortcut; point-wise convs only).
     */
    void run(float[] out, int outOff, float[] in, int inOff, int ldi, ConvGeom g, float[] res, int resOff, int u0,
             int u1) {
        switch (kind) {
            case POINTWISE:
                Kernels.pointwise(out, outOff, coutPad, in, inOff, ldi, packed, biasPad, act, res, resOff,
                        coutPad, cin, cout, u0, u1);
                break;
            case DEPTHWISE:
                Kernels.depthwise(out, outOff, coutPad, in, inOff, ldi, packed, coutPad, biasPad, act, cout, g,
                        u0, u1);
                break;
            case STEM:
                Kernels.convFromChw(out, outOff, coutPad, in, inOff, packed, coutPad, biasPad, act, cin, cout, g,
                        u0, u1);
                break;
            default:
                Kernels.conv(out, outOff, coutPad, in, inOff, ldi, general, biasPad, act, cin, cout, groups, g, u0, u1);
        }
    }

    /** Weights rearranged for the HWC kernels, each row padded to coutPad with zeros. */
    private float[] pack(float[] w) {
        switch (kind) {
            case POINTWISE:
                return Kernels.packPointwise(w, cin, cout);
            case DEPTHWISE:
            case STEM: {
                float[] p = new float[k * k * tapInputs() * coutPad];
                relayout(w, p, true);
                return p;
            }
            default:
                return w;
        }
    }

    /** Input channels each output channel's taps read: 1 for a depth-wise conv, all of them for the stem. */
    private int tapInputs() {
        return kind == Kind.STEM ? cin : 1;
    }

    /**
     * Copies a depth-wise or stem kernel between PyTorch's layout {@code [out][in][k][k]} and the packed
     * {@code [k*k][in][coutPad]}: into {@code p} when {@code toPacked}, else into {@code w}.
     */
    private void relayout(float[] w, float[] p, boolean toPacked) {
        int kk = k * k;
        int ci = tapInputs();
        for (int o = 0; o < cout; o++) {
            for (int i = 0; i < ci; i++) {
                for (int t = 0; t < kk; t++) {
                    int torch = (o * ci + i) * kk + t;
                    int hwc = (t * ci + i) * coutPad + o;
                    if (toPacked) {
                        p[hwc] = w[torch];
                    } else {
                        w[torch] = p[hwc];
                    }
                }
            }
        }
    }

    @Override
    public void accept(Visitor v) {
        v.conv(this);
    }
}

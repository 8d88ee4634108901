package dev.mobilenet.model;

import dev.mobilenet.kernels.Activation;
import dev.mobilenet.kernels.Kernels;
import dev.mobilenet.nn.BatchNorm2d;
import dev.mobilenet.nn.Conv2d;
import dev.mobilenet.nn.Padding;

/**
 * A convolution with its BatchNorm folded into weights and bias, and the activation applied in place.
 * Exporters read it through the accessors; the arrays are shared, not copied, and must not be modified.
 */
public final class FusedConv implements FusedStep {
    enum Kind { POINTWISE, DEPTHWISE, GENERAL }

    private final String name;
    final int cin;
    final int cout;
    final int k;
    final int stride;
    final int dilation;
    final int groups;
    final Padding padding;
    final float[] w;
    final float[] b;
    final Activation act;
    final Kind kind;

    private FusedConv(String name, Conv2d c, float[] w, float[] b, Activation act) {
        this.name = name;
        this.cin = c.inChannels;
        this.cout = c.outChannels;
        this.k = c.kernel;
        this.stride = c.stride;
        this.dilation = c.dilation;
        this.groups = c.groups;
        this.padding = c.padding;
        this.w = w;
        this.b = b;
        this.act = act;
        this.kind = c.isPointwise() ? Kind.POINTWISE : c.isDepthwise() ? Kind.DEPTHWISE : Kind.GENERAL;
    }

    /**
     * Folds {@code y = gamma * (conv(x) + bias - mean) / sqrt(var + eps) + beta} into the conv, in double precision.
     * A null BatchNorm keeps the conv as it is, with the given activation.
     */
    static FusedConv fold(String name, Conv2d c, BatchNorm2d bn, Activation actIfNoBn) {
        float[] w = c.weight.clone();
        float[] b = new float[c.outChannels];
        if (c.bias != null) {
            System.arraycopy(c.bias, 0, b, 0, b.length);
        }
        if (bn == null) {
            return new FusedConv(name, c, w, b, actIfNoBn);
        }
        int per = w.length / c.outChannels;
        for (int o = 0; o < c.outChannels; o++) {
            double scale = bn.weight[o] / Math.sqrt((double) bn.runningVar[o] + bn.eps);
            for (int i = o * per; i < (o + 1) * per; i++) {
                w[i] = (float) (c.weight[i] * scale);
            }
            b[o] = (float) (((double) b[o] - bn.runningMean[o]) * scale + bn.bias[o]);
        }
        return new FusedConv(name, c, w, b, bn.act);
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

    /** Folded weights [out][in/groups][k][k]. */
    public float[] weight() {
        return w;
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

    /** Runs on one CHW image of {@code h x wd}; writes cout x outSize(h) x outSize(wd) at {@code outOff}. */
    /** Floats of scratch that {@link #forward} needs for an h x wd input. */
    int scratchSize(int h, int wd) {
        switch (kind) {
            case DEPTHWISE:
                return Kernels.depthwiseScratch(h, wd, k, stride, dilation);
            case GENERAL:
                return groups == 1 ? cin * k * k * outSize(h) * outSize(wd) : 0;
            default:
                return 0;
        }
    }

    /**
     * Runs on one CHW image of {@code h x wd}; writes cout x outSize(h) x outSize(wd) at {@code outOff}.
     * One-group convolutions other than 1x1 (the stem) run as im2col followed by the point-wise kernel.
     */
    void forward(float[] out, int outOff, float[] in, int inOff, int h, int wd, float[] scratch) {
        int oh = outSize(h);
        int ow = outSize(wd);
        int pt = padding.before(h, k, stride, dilation);
        int pl = padding.before(wd, k, stride, dilation);
        switch (kind) {
            case POINTWISE:
                Kernels.pointwiseForward(out, outOff, in, inOff, w, b, cin, cout, h * wd);
                break;
            case DEPTHWISE:
                Kernels.depthwiseForward(out, outOff, in, inOff, w, b, cin, h, wd, k, stride, dilation, pt, pl,
                        oh, ow, scratch);
                break;
            default:
                if (groups == 1) {
                    Kernels.im2colForward(scratch, in, inOff, cin, h, wd, k, stride, dilation, pt, pl, oh, ow);
                    Kernels.pointwiseForward(out, outOff, scratch, 0, w, b, cin * k * k, cout, oh * ow);
                } else {
                    Kernels.convForward(out, outOff, in, inOff, w, b, cin, cout, groups, h, wd, k, stride,
                            dilation, pt, pl, oh, ow);
                }
        }
        Kernels.activationForward(out, outOff, cout * oh * ow, act);
    }
}

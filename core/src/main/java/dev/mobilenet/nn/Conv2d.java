package dev.mobilenet.nn;

import java.util.Map;

/** A 2-D convolution with a square kernel; weights are [out][in/groups][k][k] as in PyTorch. */
public final class Conv2d implements Module {
    public final int inChannels;
    public final int outChannels;
    public final int kernel;
    public final int stride;
    public final int dilation;
    public final int groups;
    public final Padding padding;
    public final float[] weight;
    /** Null when the conv has no bias. */
    public final float[] bias;

    public Conv2d(int inChannels, int outChannels, int kernel, int stride, int dilation, int groups,
                  Padding padding, boolean bias) {
        if (inChannels % groups != 0 || outChannels % groups != 0) {
            throw new IllegalArgumentException("channels " + inChannels + "->" + outChannels
                    + " not divisible by groups " + groups);
        }
        this.inChannels = inChannels;
        this.outChannels = outChannels;
        this.kernel = kernel;
        this.stride = stride;
        this.dilation = dilation;
        this.groups = groups;
        this.padding = padding;
        this.weight = new float[outChannels * (inChannels / groups) * kernel * kernel];
        this.bias = bias ? new float[outChannels] : null;
    }

    public int[] weightShape() {
        return new int[] {outChannels, inChannels / groups, kernel, kernel};
    }

    public boolean isDepthwise() {
        return groups == inChannels && groups == outChannels && groups > 1;
    }

    public boolean isPointwise() {
        return kernel == 1 && stride == 1 && groups == 1 && !padding.same() && padding.pad() == 0;
    }

    public int outSize(int in) {
        return padding.outSize(in, kernel, stride, dilation);
    }

    public long paramCount() {
        return weight.length + (bias == null ? 0 : bias.length);
    }

    /** Multiply-accumulates for one image producing an oh x ow output. */
    public long macs(int oh, int ow) {
        return (long) oh * ow * outChannels * (inChannels / groups) * kernel * kernel;
    }

    @Override
    public void collect(String prefix, Map<String, ParamRef> out) {
        out.put(prefix + "weight", ParamRef.floats(prefix + "weight", weightShape(), weight, ParamRef.Kind.WEIGHT));
        if (bias != null) {
            out.put(prefix + "bias", ParamRef.floats(prefix + "bias", new int[] {outChannels}, bias,
                    ParamRef.Kind.BIAS));
        }
    }
}

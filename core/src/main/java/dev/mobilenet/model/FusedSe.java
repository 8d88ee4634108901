package dev.mobilenet.model;

import dev.mobilenet.kernels.Activation;
import dev.mobilenet.kernels.Kernels;
import dev.mobilenet.nn.SqueezeExcite;

/**
 * Squeeze-excite of a compiled block; runs on one image in place. Arrays are shared: do not modify.
 *
 * @param reduceWeight conv_reduce weights [reducedChannels][channels] (bias: reduceBias)
 * @param activation   the activation after conv_reduce
 * @param expandWeight conv_expand weights [channels][reducedChannels] (bias: expandBias)
 * @param gate         the gate after conv_expand
 */
public record FusedSe(String name, int channels, int reducedChannels, float[] reduceWeight, float[] reduceBias,
                      Activation activation, float[] expandWeight, float[] expandBias, Activation gate)
        implements FusedStep {

    static FusedSe of(String name, SqueezeExcite se) {
        return new FusedSe(name, se.convReduce.inChannels, se.convReduce.outChannels, se.convReduce.weight.clone(),
                se.convReduce.bias.clone(), se.act, se.convExpand.weight.clone(), se.convExpand.bias.clone(),
                se.gate);
    }

    int scratchSize() {
        return 2 * Kernels.alignChannels(channels) + reducedChannels;
    }

    /**
     * Runs on one HWC image in place (row stride {@code ld}). {@code scratch} holds the pooled values, the reduced
     * values and the gate; the gate's padding lanes stay zero.
     */
    void forward(float[] x, int off, int ld, int hw, float[] scratch) {
        pool(x, off, ld, hw, scratch, 0, channels);
        gate(scratch);
        scale(x, off, ld, scratch, 0, hw);
    }

    /** The squeeze for channels {@code c0 <= ch < c1}; c0 a multiple of {@link Kernels#channelAlign()}. */
    void pool(float[] x, int off, int ld, int hw, float[] scratch, int c0, int c1) {
        Kernels.globalAvgPool(scratch, c0, x, off + c0, ld, c1 - c0, hw);
    }

    /** The two dense layers from the pooled values to the gate. */
    void gate(float[] scratch) {
        int cp = Kernels.alignChannels(channels);
        int rd = reducedChannels;
        Kernels.matvec(scratch, cp, scratch, 0, reduceWeight, reduceBias, channels, 0, rd);
        Kernels.activation(scratch, cp, rd, activation);
        Kernels.matvec(scratch, cp + rd, scratch, cp, expandWeight, expandBias, rd, 0, channels);
        Kernels.activation(scratch, cp + rd, channels, gate);
    }

    /** The excitation of pixels {@code p0 <= p < p1}. */
    void scale(float[] x, int off, int ld, float[] scratch, int p0, int p1) {
        Kernels.channelScale(x, off + p0 * ld, ld, scratch, Kernels.alignChannels(channels) + reducedChannels,
                channels, p1 - p0);
    }

    @Override
    public void accept(Visitor v) {
        v.se(this);
    }
}

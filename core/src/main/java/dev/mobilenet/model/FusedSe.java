package dev.mobilenet.model;

import dev.mobilenet.kernels.Activation;
import dev.mobilenet.kernels.Kernels;
import dev.mobilenet.nn.SqueezeExcite;

/** Squeeze-excite of a compiled block; runs on one image in place. Arrays are shared: do not modify. */
public final class FusedSe implements FusedStep {
    private final String name;
    final int c;
    final int rd;
    final float[] w1;
    final float[] b1;
    final Activation act;
    final float[] w2;
    final float[] b2;
    final Activation gate;

    FusedSe(String name, SqueezeExcite se) {
        this.name = name;
        this.c = se.convReduce.inChannels;
        this.rd = se.convReduce.outChannels;
        this.w1 = se.convReduce.weight.clone();
        this.b1 = se.convReduce.bias.clone();
        this.act = se.act;
        this.w2 = se.convExpand.weight.clone();
        this.b2 = se.convExpand.bias.clone();
        this.gate = se.gate;
    }

    @Override
    public String name() {
        return name;
    }

    public int channels() {
        return c;
    }

    public int reducedChannels() {
        return rd;
    }

    /** conv_reduce weights [rd][c] and bias [rd]. */
    public float[] reduceWeight() {
        return w1;
    }

    public float[] reduceBias() {
        return b1;
    }

    public Activation activation() {
        return act;
    }

    /** conv_expand weights [c][rd] and bias [c]. */
    public float[] expandWeight() {
        return w2;
    }

    public float[] expandBias() {
        return b2;
    }

    public Activation gate() {
        return gate;
    }

    int scratchSize() {
        return 2 * Kernels.alignChannels(c) + rd;
    }

    /**
     * Runs on one HWC image in place (row stride {@code ld}). {@code scratch} holds the pooled values, the reduced
     * values and the gate; the gate's padding lanes stay zero.
     */
    void forward(float[] x, int off, int ld, int hw, float[] scratch) {
        pool(x, off, ld, hw, scratch, 0, c);
        gate(scratch);
        scale(x, off, ld, scratch, 0, hw);
    }

    /** The squeeze for channels {@code c0 <= ch < c1}; c0 a multiple of {@link Kernels#channelAlign()}. */
    void pool(float[] x, int off, int ld, int hw, float[] scratch, int c0, int c1) {
        Kernels.globalAvgPool(scratch, c0, x, off + c0, ld, c1 - c0, hw);
    }

    /** The two dense layers from the pooled values to the gate. */
    void gate(float[] scratch) {
        int cp = Kernels.alignChannels(c);
        Kernels.matvec(scratch, cp, scratch, 0, w1, b1, c, 0, rd);
        Kernels.activation(scratch, cp, rd, act);
        Kernels.matvec(scratch, cp + rd, scratch, cp, w2, b2, rd, 0, c);
        Kernels.activation(scratch, cp + rd, c, gate);
    }

    /** The excitation of pixels {@code p0 <= p < p1}. */
    void scale(float[] x, int off, int ld, float[] scratch, int p0, int p1) {
        Kernels.channelScale(x, off + p0 * ld, ld, scratch, Kernels.alignChannels(c) + rd, c, p1 - p0);
    }

    @Override
    public void accept(Visitor v) {
        v.se(this);
    }
}

package dev.mobilenet.model;

import dev.mobilenet.kernels.Activation;
import dev.mobilenet.kernels.Kernels;
import dev.mobilenet.nn.SqueezeExcite;

/** A block's folded steps; each step is either a {@link FusedConv} or a {@link Se}. */
final class FusedBlock {
    final Object[] steps;
    final boolean skip;

    FusedBlock(Object[] steps, boolean skip) {
        this.steps = steps;
        this.skip = skip;
    }

    /** Squeeze-excite on one image, in place; scratch holds pooled (c) then reduced (rd) then gate (c) values. */
    static final class Se {
        final int c;
        final int rd;
        final float[] w1;
        final float[] b1;
        final Activation act;
        final float[] w2;
        final float[] b2;
        final Activation gate;

        Se(SqueezeExcite se) {
            this.c = se.convReduce.inChannels;
            this.rd = se.convReduce.outChannels;
            this.w1 = se.convReduce.weight.clone();
            this.b1 = se.convReduce.bias.clone();
            this.act = se.act;
            this.w2 = se.convExpand.weight.clone();
            this.b2 = se.convExpand.bias.clone();
            this.gate = se.gate;
        }

        int scratchSize() {
            return 2 * c + rd;
        }

        void forward(float[] x, int off, int hw, float[] scratch) {
            Kernels.globalAvgPoolForward(scratch, 0, x, off, c, hw);
            Kernels.matvecForward(scratch, c, scratch, 0, w1, b1, c, rd);
            Kernels.activationForward(scratch, c, rd, act);
            Kernels.matvecForward(scratch, c + rd, scratch, c, w2, b2, rd, c);
            Kernels.activationForward(scratch, c + rd, c, gate);
            Kernels.channelScaleForward(x, off, scratch, c + rd, c, hw);
        }
    }
}

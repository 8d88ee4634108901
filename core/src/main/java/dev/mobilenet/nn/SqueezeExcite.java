package dev.mobilenet.nn;

import dev.mobilenet.kernels.Activation;
import java.util.Map;

/** Squeeze-and-excitation: mean over space -> conv_reduce -> act -> conv_expand -> gate, times the input. */
public final class SqueezeExcite implements Module {
    public final Conv2d convReduce;
    public final Activation act;
    public final Conv2d convExpand;
    public final Activation gate;

    public SqueezeExcite(int channels, int reducedChannels, Activation act, Activation gate) {
        Padding none = new Padding(false, 0);
        this.convReduce = new Conv2d(channels, reducedChannels, 1, 1, 1, 1, none, true);
        this.act = act;
        this.convExpand = new Conv2d(reducedChannels, channels, 1, 1, 1, 1, none, true);
        this.gate = gate;
    }

    public long paramCount() {
        return convReduce.paramCount() + convExpand.paramCount();
    }

    public long macs() {
        return convReduce.macs(1, 1) + convExpand.macs(1, 1);
    }

    @Override
    public void collect(String prefix, Map<String, ParamRef> out) {
        convReduce.collect(prefix + "conv_reduce.", out);
        convExpand.collect(prefix + "conv_expand.", out);
    }
}

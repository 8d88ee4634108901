package dev.mobilenet.nn;

import dev.mobilenet.kernels.Activation;
import java.util.Arrays;
import java.util.Map;

/** BatchNorm over channels followed by an activation (timm's BatchNormAct2d; IDENTITY for a plain BN). */
public final class BatchNorm2d implements Module {
    public final int channels;
    public final double eps;
    public final Activation act;
    public final float[] weight;
    public final float[] bias;
    public final float[] runningMean;
    public final float[] runningVar;
    public final long[] numBatchesTracked = new long[1];

    public BatchNorm2d(int channels, double eps, Activation act) {
        this.channels = channels;
        this.eps = eps;
        this.act = act;
        this.weight = new float[channels];
        this.bias = new float[channels];
        this.runningMean = new float[channels];
        this.runningVar = new float[channels];
        Arrays.fill(weight, 1f);
        Arrays.fill(runningVar, 1f);
    }

    public long paramCount() {
        return 2L * channels;
    }

    @Override
    public void collect(String prefix, Map<String, ParamRef> out) {
        int[] shape = {channels};
        out.put(prefix + "weight", ParamRef.floats(prefix + "weight", shape, weight, ParamRef.Kind.WEIGHT));
        out.put(prefix + "bias", ParamRef.floats(prefix + "bias", shape, bias, ParamRef.Kind.BIAS));
        out.put(prefix + "running_mean", ParamRef.floats(prefix + "running_mean", shape, runningMean,
                ParamRef.Kind.RUNNING_MEAN));
        out.put(prefix + "running_var", ParamRef.floats(prefix + "running_var", shape, runningVar,
                ParamRef.Kind.RUNNING_VAR));
        out.put(prefix + "num_batches_tracked", new ParamRef(prefix + "num_batches_tracked", new int[0], null,
                ParamRef.Kind.NUM_BATCHES_TRACKED, numBatchesTracked));
    }
}

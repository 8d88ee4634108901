package dev.mobilenet.nn;

import java.util.Map;

/** A fully connected layer, weights [out][in]. */
public final class Linear implements Module {
    public final int inFeatures;
    public final int outFeatures;
    public final float[] weight;
    public final float[] bias;

    public Linear(int inFeatures, int outFeatures) {
        this.inFeatures = inFeatures;
        this.outFeatures = outFeatures;
        this.weight = new float[outFeatures * inFeatures];
        this.bias = new float[outFeatures];
    }

    public long paramCount() {
        return weight.length + bias.length;
    }

    @Override
    public void collect(String prefix, Map<String, ParamRef> out) {
        out.put(prefix + "weight", ParamRef.floats(prefix + "weight", new int[] {outFeatures, inFeatures}, weight,
                ParamRef.Kind.WEIGHT));
        out.put(prefix + "bias", ParamRef.floats(prefix + "bias", new int[] {outFeatures}, bias,
                ParamRef.Kind.BIAS));
    }
}

package dev.mobilenet.spark;

import java.io.Serializable;
import java.util.Arrays;
import java.util.Objects;

/**
 * What identifies a loaded model on an executor: the timm name, the weights and labels as the user gave them (a Hub
 * name, a path, a URI on shared storage, or a file shipped with {@code --files}), the Hub revision and the
 * preprocessing overrides. Travels from the driver to the executors inside the task closure.
 *
 * @param inputSize     {height, width}, or null for the model's
 * @param cropPct       NaN for the model's
 * @param cropMode      null for the model's
 * @param interpolation null for the model's
 * @param mean          null for the model's
 * @param std           null for the model's
 */
public record ModelKey(String model, String weights, String labels, String revision, int[] inputSize, double cropPct,
                       String cropMode, String interpolation, double[] mean, double[] std) implements Serializable {
    private static final long serialVersionUID = 1L;

    @Override
    public boolean equals(Object o) {
        return o instanceof ModelKey k && model.equals(k.model) && Objects.equals(weights, k.weights)
                && Objects.equals(labels, k.labels) && Objects.equals(revision, k.revision)
                && Arrays.equals(inputSize, k.inputSize) && Double.compare(cropPct, k.cropPct) == 0
                && Objects.equals(cropMode, k.cropMode) && Objects.equals(interpolation, k.interpolation)
                && Arrays.equals(mean, k.mean) && Arrays.equals(std, k.std);
    }

    @Override
    public int hashCode() {
        return Objects.hash(model, weights, labels, revision, Arrays.hashCode(inputSize), cropPct, cropMode,
                interpolation, Arrays.hashCode(mean), Arrays.hashCode(std));
    }

    @Override
    public String toString() {
        return model + (weights != null ? " with weights " + weights : "");
    }
}

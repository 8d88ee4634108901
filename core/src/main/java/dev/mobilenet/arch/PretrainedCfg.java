package dev.mobilenet.arch;

/**
 * A pretrained weight set as timm publishes it ({@code arch.tag}): class count and the preprocessing the weights
 * were trained with. Values are timm's pretrained_cfg entries.
 *
 * @param inputSize     default square input side
 * @param testInputSize the larger side timm recommends at test time, or 0 when it has none
 * @param testCropPct   crop fraction at {@code testInputSize}, or 0 when none
 */
public record PretrainedCfg(String arch, String tag, int numClasses, int inputSize, int testInputSize,
                            double cropPct, double testCropPct, String interpolation, float[] mean, float[] std) {

    public String name() {
        return arch + "." + tag;
    }

    public String hfHubId() {
        return "timm/" + name();
    }
}

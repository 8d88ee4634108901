package dev.mobilenet.hub;

import dev.mobilenet.MobileNetException;
import dev.mobilenet.arch.Labels;
import dev.mobilenet.arch.PretrainedCfg;
import dev.mobilenet.preprocess.Interpolation;
import dev.mobilenet.preprocess.PreprocessConfig;
import java.util.List;
import java.util.Optional;

/**
 * A pretrained model's configuration after merging the Hub's config.json over the registry's entry: what to build
 * (architecture, classes) and how to preprocess (size, crop, interpolation, normalization), with its class labels.
 *
 * @param tag           the pretrained tag, when known
 * @param numFeatures   timm's num_features (informational), when config.json gives it
 * @param testInputSize the larger size timm recommends at test time, if any
 * @param cropMode      timm's crop_mode: center, squash or border
 * @param labels        class labels in class-index order, or empty when unknown
 */
public record ModelConfig(String arch, Optional<String> tag, int numClasses, Optional<Integer> numFeatures,
                          int inputChannels, int inputHeight, int inputWidth,
                          Optional<TimmConfig.InputSize> testInputSize, double cropPct, Optional<Double> testCropPct,
                          String cropMode, String interpolation, float[] mean, float[] std,
                          List<Labels.Label> labels) {

    public ModelConfig {
        mean = mean.clone();
        std = std.clone();
        labels = List.copyOf(labels);
    }

    @Override
    public float[] mean() {
        return mean.clone();
    }

    @Override
    public float[] std() {
        return std.clone();
    }

    /** {@code arch.tag}, or the bare arch when the tag is unknown. */
    public String name() {
        return tag.map(t -> arch + "." + t).orElse(arch);
    }

    /** timm's evaluation transform for this config ({@code resolve_data_config} at the default input size). */
    public PreprocessConfig preprocess() {
        return new PreprocessConfig(inputHeight, inputWidth, cropPct, cropMode, Interpolation.fromTimm(interpolation),
                mean, std);
    }

    /** The registry's config only: what the model gets when the Hub has no config.json. */
    public static ModelConfig of(PretrainedCfg registry) {
        return TimmConfig.empty().merge(Optional.of(registry));
    }

    /**
     * As core's {@link PretrainedCfg}, which the rest of the library takes.
     *
     * @throws MobileNetException when the input is not square or not 3-channel (PretrainedCfg has one side)
     */
    public PretrainedCfg toPretrainedCfg() {
        if (inputHeight != inputWidth || inputChannels != 3) {
            throw new MobileNetException(name() + ": input size " + inputChannels + "x" + inputHeight + "x"
                    + inputWidth + " is not 3-channel square, which PretrainedCfg cannot express");
        }
        int test = testInputSize.filter(t -> t.height() == t.width()).map(TimmConfig.InputSize::height).orElse(0);
        return new PretrainedCfg(arch, tag.orElse(""), numClasses, inputHeight, test, cropPct,
                testCropPct.orElse(0.0), interpolation, mean.clone(), std.clone());
    }
}

package dev.mobilenet.hub;

import dev.mobilenet.arch.Labels;
import dev.mobilenet.arch.PretrainedCfg;
import dev.mobilenet.preprocess.PreprocessConfig;
import java.util.List;
import java.util.Optional;

/**
 * A pretrained model's configuration after merging the Hub's config.json over the registry's entry: what to build
 * (architecture, classes) and how to preprocess, with its class labels.
 *
 * @param tag         the pretrained tag, when known
 * @param numFeatures timm's num_features (informational), when config.json gives it
 * @param preprocess  the evaluation transform at the default input size
 * @param test        the transform at the larger size timm recommends at test time, if any
 * @param labels      class labels in class-index order, or empty when unknown
 */
public record ModelConfig(String arch, Optional<String> tag, int numClasses, Optional<Integer> numFeatures,
                          PreprocessConfig preprocess, Optional<PreprocessConfig> test, List<Labels.Label> labels) {

    public ModelConfig {
        labels = List.copyOf(labels);
    }

    /** {@code arch.tag}, or the bare arch when the tag is unknown. */
    public String name() {
        return tag.map(t -> arch + "." + t).orElse(arch);
    }

    /** The registry's config only: what the model gets when the Hub has no config.json. */
    public static ModelConfig of(PretrainedCfg registry) {
        return TimmConfig.empty().merge(Optional.of(registry));
    }

    /** As core's {@link PretrainedCfg}, which the rest of the library takes (the tag is empty when unknown). */
    public PretrainedCfg toPretrainedCfg() {
        return new PretrainedCfg(arch, tag.orElse(""), numClasses, preprocess, test);
    }
}

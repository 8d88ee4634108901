package dev.mobilenet.arch;

import dev.mobilenet.preprocess.PreprocessConfig;
import java.util.Objects;
import java.util.Optional;

/**
 * A pretrained weight set as timm publishes it ({@code arch.tag}): class count and the preprocessing the weights
 * were trained with. Values are timm's pretrained_cfg entries.
 *
 * @param preprocess the evaluation transform at the default input size ({@code input_size}, {@code crop_pct},
 *                   {@code crop_mode}, {@code interpolation}, {@code mean}, {@code std})
 * @param test       the transform at the larger size timm recommends for testing ({@code test_input_size} with
 *                   {@code test_crop_pct}), when the tag has one
 */
public record PretrainedCfg(String arch, String tag, int numClasses, PreprocessConfig preprocess,
                            Optional<PreprocessConfig> test) {
    public PretrainedCfg {
        Objects.requireNonNull(preprocess, "preprocess");
        Objects.requireNonNull(test, "test");
    }

    public String name() {
        return arch + "." + tag;
    }

    public String hfHubId() {
        return "timm/" + name();
    }

    /** The transform timm uses with {@code use_test_size=True}: the test size when there is one. */
    public PreprocessConfig testOrDefault() {
        return test.orElse(preprocess);
    }
}

package dev.mobilenet.arch;

import dev.mobilenet.preprocess.Interpolation;
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

    /**
     * A tag's entry as timm's {@code _cfg(...)} writes it: defaults 1000 classes, 224x224, crop 0.875, bilinear,
     * ImageNet mean and std; each call changes one fact.
     */
    public static Tag tag(String tag) {
        return new Tag(tag);
    }

    /** Named facts of one pretrained tag; {@link #build} gives the entry for an architecture. */
    public static final class Tag {
        private static final float[] IMAGENET_MEAN = {0.485f, 0.456f, 0.406f};
        private static final float[] IMAGENET_STD = {0.229f, 0.224f, 0.225f};
        private static final float[] INCEPTION_MEAN = {0.5f, 0.5f, 0.5f};
        private static final float[] INCEPTION_STD = {0.5f, 0.5f, 0.5f};

        private final String tag;
        private int numClasses = 1000;
        private PreprocessConfig eval = new PreprocessConfig(224, 224, PreprocessConfig.DEFAULT_CROP_PCT, "center",
                Interpolation.BILINEAR, IMAGENET_MEAN, IMAGENET_STD);
        private Optional<TestSize> test = Optional.empty();

        private Tag(String tag) {
            this.tag = Objects.requireNonNull(tag, "tag");
        }

        public Tag numClasses(int n) {
            numClasses = n;
            return this;
        }

        /** Square input side ({@code input_size=(3, s, s)}). */
        public Tag inputSize(int side) {
            eval = eval.withInputSize(side, side);
            return this;
        }

        public Tag cropPct(double pct) {
            eval = eval.withCropPct(pct);
            return this;
        }

        public Tag interpolation(Interpolation i) {
            eval = eval.withInterpolation(i);
            return this;
        }

        /** timm's IMAGENET_INCEPTION_MEAN/STD (0.5 each). */
        public Tag inceptionMeanStd() {
            return meanStd(INCEPTION_MEAN, INCEPTION_STD);
        }

        public Tag meanStd(float[] m, float[] s) {
            eval = eval.withMean(m).withStd(s);
            return this;
        }

        /** {@code test_input_size=(3, s, s)} and {@code test_crop_pct}. */
        public Tag testSize(int side, double pct) {
            test = Optional.of(new TestSize(side, pct));
            return this;
        }

        public PretrainedCfg build(String arch) {
            return new PretrainedCfg(arch, tag, numClasses, eval,
                    test.map(t -> eval.withInputSize(t.side, t.side).withCropPct(t.cropPct)));
        }

        private record TestSize(int side, double cropPct) {
        }
    }
}

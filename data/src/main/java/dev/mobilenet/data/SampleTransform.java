package dev.mobilenet.data;

import dev.mobilenet.image.Preprocessor;
import dev.mobilenet.image.RgbImage;
import dev.mobilenet.preprocess.PreprocessConfig;

/** A decoded image to CHW float32: {@link TrainTransform} for training, the image module's Preprocessor for eval. */
public interface SampleTransform {
    /** The model's evaluation config: the output has its size (and, for training, its mean and std). */
    PreprocessConfig modelConfig();

    default int height() {
        return modelConfig().height();
    }

    default int width() {
        return modelConfig().width();
    }

    /** Writes {@code 3 x height x width} floats at {@code out[offset]}; random choices come from {@code rng}. */
    void apply(RgbImage image, Rng rng, float[] out, int offset);

    /** timm's eval transform (deterministic; the Rng is not used). */
    static SampleTransform eval(Preprocessor preprocessor) {
        return new SampleTransform() {
            @Override
            public PreprocessConfig modelConfig() {
                return preprocessor.config();
            }

            @Override
            public void apply(RgbImage image, Rng rng, float[] out, int offset) {
                preprocessor.apply(image, out, offset);
            }
        };
    }
}

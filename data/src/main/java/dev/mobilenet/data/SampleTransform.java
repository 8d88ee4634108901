package dev.mobilenet.data;

import dev.mobilenet.image.Preprocessor;
import dev.mobilenet.image.RgbImage;

/** A decoded image to CHW float32: {@link TrainTransform} for training, the image module's Preprocessor for eval. */
public interface SampleTransform {
    int height();

    int width();

    /** Writes {@code 3 x height x width} floats at {@code out[offset]}; random choices come from {@code rng}. */
    void apply(RgbImage image, Rng rng, float[] out, int offset);

    /** timm's eval transform (deterministic; the Rng is not used). */
    static SampleTransform eval(Preprocessor preprocessor) {
        return new SampleTransform() {
            @Override
            public int height() {
                return preprocessor.config().height();
            }

            @Override
            public int width() {
                return preprocessor.config().width();
            }

            @Override
            public void apply(RgbImage image, Rng rng, float[] out, int offset) {
                preprocessor.apply(image, out, offset);
            }
        };
    }
}

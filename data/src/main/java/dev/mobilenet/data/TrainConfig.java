package dev.mobilenet.data;

import dev.mobilenet.MobileNetException;
import dev.mobilenet.preprocess.PreprocessConfig;
import java.util.Arrays;

/**
 * The settings of timm's {@code transforms_imagenet_train} (RandomResizedCrop mode).
 *
 * @param model         the model's evaluation transform: the output size, mean and std come from it (its crop and
 *                      filter are the evaluation's, not used here)
 * @param scaleMin      smallest crop area as a fraction of the image (timm 0.08)
 * @param scaleMax      largest crop area fraction (timm 1.0)
 * @param ratioMin      smallest crop aspect ratio w/h (timm 3/4)
 * @param ratioMax      largest crop aspect ratio (timm 4/3)
 * @param interpolation {@code random} (bilinear or bicubic per image, timm's default) or a filter name
 * @param hflip         probability of a horizontal flip (timm 0.5)
 * @param colorJitter   brightness/contrast/saturation strength (timm 0.4); 0 turns it off. Ignored when
 *                      {@code autoAugment} is set, as timm disables colour jitter then.
 * @param autoAugment   RandAugment config such as {@code rand-m9-mstd0.5}, or null
 * @param reProb        random erasing probability (timm default 0)
 * @param reMode        random erasing mode: const, rand or pixel
 * @param reCount       maximum number of erased boxes per image
 */
public record TrainConfig(PreprocessConfig model, double scaleMin, double scaleMax, double ratioMin, double ratioMax,
                          String interpolation, double hflip, double colorJitter, String autoAugment, double reProb,
                          String reMode, int reCount) {
    public TrainConfig {
        if (!(scaleMin > 0 && scaleMin <= scaleMax && scaleMax <= 1)) {
            throw new MobileNetException("crop scale must satisfy 0 < min <= max <= 1, got " + scaleMin + ".."
                    + scaleMax);
        }
        if (!(ratioMin > 0 && ratioMin <= ratioMax && Double.isFinite(ratioMax))) {
            throw new MobileNetException("crop ratio must satisfy 0 < min <= max, got " + ratioMin + ".." + ratioMax);
        }
        if (!(hflip >= 0 && hflip <= 1) || !(colorJitter >= 0 && colorJitter < 1e6)) {
            throw new MobileNetException("hflip must be in [0, 1] and color jitter >= 0");
        }
        new RandomErasing(reProb, reMode, reCount);
    }

    /** timm's defaults for a model's eval config: its size, mean and std; no auto-augment, no erasing. */
    public static TrainConfig timmDefaults(PreprocessConfig model) {
        return new TrainConfig(model, 0.08, 1.0, 3.0 / 4.0, 4.0 / 3.0, "random", 0.5, 0.4, null, 0.0, "pixel", 1);
    }

    public TrainConfig withAutoAugment(String config) {
        return new TrainConfig(model, scaleMin, scaleMax, ratioMin, ratioMax, interpolation, hflip,
                colorJitter, config, reProb, reMode, reCount);
    }

    public TrainConfig withRandomErasing(double prob, String mode, int count) {
        return new TrainConfig(model, scaleMin, scaleMax, ratioMin, ratioMax, interpolation, hflip,
                colorJitter, autoAugment, prob, mode, count);
    }

    public TrainConfig withColorJitter(double strength) {
        return new TrainConfig(model, scaleMin, scaleMax, ratioMin, ratioMax, interpolation, hflip,
                strength, autoAugment, reProb, reMode, reCount);
    }

    public TrainConfig withScale(double min, double max) {
        return new TrainConfig(model, min, max, ratioMin, ratioMax, interpolation, hflip, colorJitter,
                autoAugment, reProb, reMode, reCount);
    }

    public TrainConfig withHflip(double p) {
        return new TrainConfig(model, scaleMin, scaleMax, ratioMin, ratioMax, interpolation, p, colorJitter,
                autoAugment, reProb, reMode, reCount);
    }

    public TrainConfig withInterpolation(String name) {
        return new TrainConfig(model, scaleMin, scaleMax, ratioMin, ratioMax, name, hflip, colorJitter,
                autoAugment, reProb, reMode, reCount);
    }

    /** Output height. */
    public int height() {
        return model.height();
    }

    /** Output width. */
    public int width() {
        return model.width();
    }

    /** Normalisation mean. */
    public float[] mean() {
        return model.mean();
    }

    /** Normalisation std. */
    public float[] std() {
        return model.std();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TrainConfig t && toString().equals(t.toString());
    }

    @Override
    public int hashCode() {
        return toString().hashCode();
    }

    @Override
    public String toString() {
        return "TrainConfig[" + height() + "x" + width() + ", scale=" + scaleMin + ".." + scaleMax + ", ratio="
                + ratioMin + ".." + ratioMax + ", interpolation=" + interpolation + ", hflip=" + hflip
                + ", colorJitter=" + colorJitter + ", autoAugment=" + autoAugment + ", mean=" + Arrays.toString(mean())
                + ", std="
                + Arrays.toString(std()) + ", re=" + reProb + "/" + reMode + "/" + reCount + "]";
    }
}

package dev.mobilenet.preprocess;

import dev.mobilenet.MobileNetException;
import java.util.Arrays;
import java.util.Locale;

/**
 * timm's evaluation transform settings ({@code resolve_data_config} → {@code transforms_imagenet_eval}).
 *
 * @param height        output height (timm {@code input_size[1]})
 * @param width         output width (timm {@code input_size[2]})
 * @param cropPct       fraction of the resized image kept by the crop; the resize target is
 *                      {@code floor(size / cropPct)} per dimension
 * @param cropMode      {@code center} (keep the aspect ratio, crop the centre), {@code squash} (resize both sides
 *                      independently, then crop) or {@code border} (fit the longer side, pad with the mean colour)
 * @param interpolation the resize filter
 * @param mean          per-channel mean subtracted after scaling to [0, 1]
 * @param std           per-channel standard deviation divided by last
 */
public record PreprocessConfig(int height, int width, double cropPct, String cropMode, Interpolation interpolation,
                               float[] mean, float[] std) {
    /** timm's DEFAULT_CROP_PCT, used when a crop fraction is 0 (unset). */
    public static final double DEFAULT_CROP_PCT = 0.875;

    public PreprocessConfig {
        if (height < 1 || width < 1) {
            throw new MobileNetException("input size must be positive, got " + height + "x" + width);
        }
        if (!(cropPct > 0) || !Double.isFinite(cropPct)) {
            throw new MobileNetException("crop fraction must be a positive number, got " + cropPct);
        }
        cropMode = cropMode.toLowerCase(Locale.ROOT);
        if (!cropMode.equals("center") && !cropMode.equals("squash") && !cropMode.equals("border")) {
            throw new MobileNetException("unknown crop mode '" + cropMode + "' (expected center, squash or border)");
        }
        if (mean.length != 3 || std.length != 3) {
            throw new MobileNetException("mean and std need 3 values (R,G,B), got " + mean.length + " and "
                    + std.length);
        }
        for (float s : std) {
            if (s == 0 || !Float.isFinite(s)) {
                throw new MobileNetException("std must be finite and non-zero, got " + Arrays.toString(std));
            }
        }
        mean = mean.clone();
        std = std.clone();
        long side = Math.max(scaleHeightOf(height, cropPct), scaleWidthOf(width, cropPct));
        if (side > 1 << 16) {
            throw new MobileNetException("input size " + height + "x" + width + " with crop fraction " + cropPct
                    + " asks for a resize to " + side + " pixels, which is too large");
        }
    }

    /** timm's {@code resolve_data_config} defaults without a model: 224, crop 0.875, bicubic, ImageNet mean/std. */
    public static PreprocessConfig timmDefaults() {
        return new PreprocessConfig(224, 224, DEFAULT_CROP_PCT, "center", Interpolation.BICUBIC,
                new float[] {0.485f, 0.456f, 0.406f}, new float[] {0.229f, 0.224f, 0.225f});
    }

    @Override
    public float[] mean() {
        return mean.clone();
    }

    @Override
    public float[] std() {
        return std.clone();
    }

    public PreprocessConfig withInputSize(int h, int w) {
        return new PreprocessConfig(h, w, cropPct, cropMode, interpolation, mean, std);
    }

    public PreprocessConfig withCropPct(double pct) {
        return new PreprocessConfig(height, width, pct, cropMode, interpolation, mean, std);
    }

    public PreprocessConfig withCropMode(String mode) {
        return new PreprocessConfig(height, width, cropPct, mode, interpolation, mean, std);
    }

    public PreprocessConfig withInterpolation(Interpolation interp) {
        return new PreprocessConfig(height, width, cropPct, cropMode, interp, mean, std);
    }

    public PreprocessConfig withMean(float[] m) {
        return new PreprocessConfig(height, width, cropPct, cropMode, interpolation, m, std);
    }

    public PreprocessConfig withStd(float[] s) {
        return new PreprocessConfig(height, width, cropPct, cropMode, interpolation, mean, s);
    }

    /** timm's {@code scale_size[0]}: {@code floor(height / crop_pct)}. */
    public int scaleHeight() {
        return (int) scaleHeightOf(height, cropPct);
    }

    /** timm's {@code scale_size[1]}: {@code floor(width / crop_pct)}. */
    public int scaleWidth() {
        return (int) scaleWidthOf(width, cropPct);
    }

    private static long scaleHeightOf(int h, double pct) {
        return (long) Math.floor(h / pct);
    }

    private static long scaleWidthOf(int w, double pct) {
        return (long) Math.floor(w / pct);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PreprocessConfig p && p.height == height && p.width == width && p.cropPct == cropPct
                && p.cropMode.equals(cropMode) && p.interpolation == interpolation && Arrays.equals(p.mean, mean)
                && Arrays.equals(p.std, std);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(new Object[] {height, width, cropPct, cropMode, interpolation,
            Arrays.hashCode(mean), Arrays.hashCode(std)});
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "PreprocessConfig[%dx%d, crop_pct=%s, crop_mode=%s, interpolation=%s, "
                + "mean=%s, std=%s]", height, width, cropPct, cropMode, interpolation.timmName(),
                Arrays.toString(mean), Arrays.toString(std));
    }
}

package dev.mobilenet.classify;

import dev.mobilenet.MobileNetException;
import dev.mobilenet.preprocess.Interpolation;
import dev.mobilenet.preprocess.PreprocessConfig;
import java.util.Arrays;
import java.util.Objects;

/**
 * Changes to a model's evaluation transform (timm's {@code resolve_data_config} arguments): each value given replaces
 * the model's, the others stay. Immutable; start from {@link #NONE}.
 */
public final class PreprocessOverrides {
    /** Nothing overridden. */
    public static final PreprocessOverrides NONE = new PreprocessOverrides(0, 0, null, null, null, null, null);

    private final int height;
    private final int width;
    private final Double cropPct;
    private final String cropMode;
    private final Interpolation interpolation;
    private final float[] mean;
    private final float[] std;

    private PreprocessOverrides(int height, int width, Double cropPct, String cropMode, Interpolation interpolation,
                                float[] mean, float[] std) {
        this.height = height;
        this.width = width;
        this.cropPct = cropPct;
        this.cropMode = cropMode;
        this.interpolation = interpolation;
        this.mean = mean;
        this.std = std;
    }

    /**
     * The overrides of optional values, each null where not given (a command line's options, a Spark job's params);
     * checked as the withers check them.
     *
     * @param inputSize     {height, width}
     * @param interpolation timm's name ({@link Interpolation#fromTimm})
     * @param mean          R,G,B
     * @param std           R,G,B
     */
    public static PreprocessOverrides of(int[] inputSize, Double cropPct, String cropMode, String interpolation,
                                         float[] mean, float[] std) {
        PreprocessOverrides sized = inputSize == null ? NONE : NONE.withInputSize(inputSize[0], inputSize[1]);
        return new PreprocessOverrides(sized.height, sized.width, cropPct, cropMode,
                interpolation == null ? null : Interpolation.fromTimm(interpolation),
                mean == null ? null : mean.clone(), std == null ? null : std.clone());
    }

    public PreprocessOverrides withInputSize(int h, int w) {
        if (h < 1 || w < 1) {
            throw new MobileNetException("input size must be positive, got " + h + "x" + w);
        }
        return new PreprocessOverrides(h, w, cropPct, cropMode, interpolation, mean, std);
    }

    public PreprocessOverrides withCropPct(double pct) {
        return new PreprocessOverrides(height, width, pct, cropMode, interpolation, mean, std);
    }

    /** {@code center}, {@code squash} or {@code border}. */
    public PreprocessOverrides withCropMode(String mode) {
        return new PreprocessOverrides(height, width, cropPct, mode, interpolation, mean, std);
    }

    public PreprocessOverrides withInterpolation(Interpolation interp) {
        return new PreprocessOverrides(height, width, cropPct, cropMode, interp, mean, std);
    }

    /** Per-channel mean, R,G,B. */
    public PreprocessOverrides withMean(float[] m) {
        return new PreprocessOverrides(height, width, cropPct, cropMode, interpolation, m.clone(), std);
    }

    /** Per-channel standard deviation, R,G,B. */
    public PreprocessOverrides withStd(float[] s) {
        return new PreprocessOverrides(height, width, cropPct, cropMode, interpolation, mean, s.clone());
    }

    public boolean isEmpty() {
        return equals(NONE);
    }

    /** {@code base} with the overridden values replaced; checked as any {@link PreprocessConfig} is. */
    public PreprocessConfig applyTo(PreprocessConfig base) {
        PreprocessConfig c = base;
        if (height > 0) {
            c = c.withInputSize(height, width);
        }
        if (cropPct != null) {
            c = c.withCropPct(cropPct);
        }
        if (cropMode != null) {
            c = c.withCropMode(cropMode);
        }
        if (interpolation != null) {
            c = c.withInterpolation(interpolation);
        }
        if (mean != null) {
            c = c.withMean(mean);
        }
        if (std != null) {
            c = c.withStd(std);
        }
        return c;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PreprocessOverrides p && p.height == height && p.width == width
                && Objects.equals(p.cropPct, cropPct) && Objects.equals(p.cropMode, cropMode)
                && p.interpolation == interpolation && Arrays.equals(p.mean, mean) && Arrays.equals(p.std, std);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(new Object[] {height, width, cropPct, cropMode, interpolation, Arrays.hashCode(mean),
            Arrays.hashCode(std)});
    }
}

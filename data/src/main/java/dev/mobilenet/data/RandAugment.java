package dev.mobilenet.data;

import dev.mobilenet.MobileNetException;
import dev.mobilenet.preprocess.Interpolation;
import dev.mobilenet.image.RgbImage;
import java.util.List;
import java.util.Locale;

/**
 * timm's {@code rand_augment_transform}: {@code n} ops drawn with replacement from {@code _RAND_TRANSFORMS}
 * (or the {@code Increasing} set with {@code inc1}), each applied with probability {@code p}; the magnitude is
 * {@code m}, or drawn from N(m, mstd) (uniform in [0, m] when mstd > 100) and clipped to [0, mmax]. Levels map
 * to op arguments with timm's {@code LEVEL_TO_ARG} (rotate ±30°, shear ±0.3, translate ±0.45 of the size,
 * enhance 0.1..1.9, posterize 4·m/10 bits, solarize 256·m/10, solarize-add 110·m/10), signs flipped with
 * probability 1/2; geometric ops resample bilinearly or bicubically at random and fill with {@code fill}.
 * Config strings: {@code rand-m9-mstd0.5}, {@code rand-m9-n3-mstd0.5-inc1}, ...
 *
 * @param config       the config string it was parsed from
 * @param ops          the ops drawn from
 * @param numLayers    ops applied per image ({@code n})
 * @param prob         probability of applying each drawn op ({@code p})
 * @param magnitude    {@code m}
 * @param magnitudeStd {@code mstd}; infinite for uniform in [0, m]
 * @param magnitudeMax {@code mmax}
 * @param fill         the fill colour of geometric ops
 * @param filter       the resampling of geometric ops, or null for the random choice
 */
public record RandAugment(String config, List<String> ops, int numLayers, double prob, double magnitude,
                          double magnitudeStd, double magnitudeMax, int[] fill, Interpolation filter) {
    /** timm's {@code _RAND_TRANSFORMS}. */
    public static final List<String> RAND_TRANSFORMS = List.of("AutoContrast", "Equalize", "Invert", "Rotate",
            "Posterize", "Solarize", "SolarizeAdd", "Color", "Contrast", "Brightness", "Sharpness", "ShearX", "ShearY",
            "TranslateXRel", "TranslateYRel");
    /** timm's {@code _RAND_INCREASING_TRANSFORMS}. */
    public static final List<String> RAND_INCREASING_TRANSFORMS = List.of("AutoContrast", "Equalize", "Invert",
            "Rotate", "PosterizeIncreasing", "SolarizeIncreasing", "SolarizeAdd", "ColorIncreasing",
            "ContrastIncreasing", "BrightnessIncreasing", "SharpnessIncreasing", "ShearX", "ShearY", "TranslateXRel",
            "TranslateYRel");
    private static final double LEVEL_DENOM = 10.0;
    private static final Interpolation[] RANDOM_FILTERS = {Interpolation.BILINEAR, Interpolation.BICUBIC};

    public RandAugment {
        if (numLayers < 0 || !(prob >= 0 && prob <= 1)) {
            throw new MobileNetException("auto-augment '" + config + "': n must be >= 0 and p in [0, 1]");
        }
        for (String op : ops) {
            if (!RAND_TRANSFORMS.contains(op) && !RAND_INCREASING_TRANSFORMS.contains(op)) {
                throw new MobileNetException("auto-augment '" + config + "': unknown op " + op);
            }
        }
        ops = List.copyOf(ops);
        fill = fill.clone();
    }

    /**
     * Parses timm's config string.
     *
     * @param fill   the fill colour of geometric ops (timm: {@code round(255 * mean)})
     * @param filter the resampling of geometric ops, or null for timm's random bilinear/bicubic choice
     */
    public static RandAugment parse(String config, int[] fill, Interpolation filter) {
        String[] parts = config.trim().toLowerCase(Locale.ROOT).split("-");
        if (!parts[0].equals("rand")) {
            throw new MobileNetException("auto-augment '" + config + "' is not supported (only RandAugment, e.g."
                    + " rand-m9-mstd0.5)");
        }
        double magnitude = LEVEL_DENOM;
        int layers = 2;
        double prob = 0.5;
        double std = 0;
        double max = LEVEL_DENOM;
        boolean increasing = false;
        for (int i = 1; i < parts.length; i++) {
            String p = parts[i];
            int k = 0;
            while (k < p.length() && !Character.isDigit(p.charAt(k))) {
                k++;
            }
            String key = p.substring(0, k);
            String val = p.substring(k);
            if (val.isEmpty()) {
                throw new MobileNetException("auto-augment '" + config + "': section '" + p + "' has no value");
            }
            try {
                switch (key) {
                    case "m" -> magnitude = Integer.parseInt(val);
                    case "n" -> layers = Integer.parseInt(val);
                    case "p" -> prob = Double.parseDouble(val);
                    case "mstd" -> {
                        std = Double.parseDouble(val);
                        if (std > 100) {
                            std = Double.POSITIVE_INFINITY;
                        }
                    }
                    case "mmax" -> max = Integer.parseInt(val);
                    case "inc" -> increasing = Integer.parseInt(val) != 0;
                    default -> throw new MobileNetException("auto-augment '" + config + "': unknown section '" + p
                            + "' (expected m, n, p, mstd, mmax or inc)");
                }
            } catch (NumberFormatException e) {
                throw new MobileNetException("auto-augment '" + config + "': bad number in '" + p + "'");
            }
        }
        return new RandAugment(config, increasing ? RAND_INCREASING_TRANSFORMS : RAND_TRANSFORMS, layers, prob,
                magnitude, std, max, fill, filter);
    }

    @Override
    public int[] fill() {
        return fill.clone();
    }

    /** Applies {@code n} random ops. */
    public RgbImage apply(RgbImage image, Rng rng) {
        RgbImage im = image;
        String[] chosen = new String[numLayers];
        for (int i = 0; i < numLayers; i++) {
            chosen[i] = ops.get(rng.nextInt(ops.size()));
        }
        for (String op : chosen) {
            im = applyOp(im, op, rng);
        }
        return im;
    }

    private RgbImage applyOp(RgbImage im, String op, Rng rng) {
        if (prob < 1.0 && rng.random() > prob) {
            return im;
        }
        double m = magnitude;
        if (magnitudeStd == Double.POSITIVE_INFINITY) {
            m = rng.uniform(0, m);
        } else if (magnitudeStd > 0) {
            m = rng.gauss(m, magnitudeStd);
        }
        m = Math.max(0, Math.min(m, magnitudeMax));
        return apply(im, op, m, rng);
    }

    private Interpolation filter(Rng rng) {
        return filter != null ? filter : RANDOM_FILTERS[rng.nextInt(2)];
    }

    private static double negate(double v, Rng rng) {
        return rng.random() > 0.5 ? -v : v;
    }

    /** One op at magnitude {@code m} (0..10 scale), timm's level-to-argument mapping. */
    RgbImage apply(RgbImage im, String op, double m, Rng rng) {
        double level = m / LEVEL_DENOM;
        switch (op) {
            case "AutoContrast":
                return PilOps.autoContrast(im);
            case "Equalize":
                return PilOps.equalize(im);
            case "Invert":
                return PilOps.invert(im);
            case "Rotate":
                return PilOps.rotate(im, rotateLevel(level, rng), filter(rng), fill);
            case "Posterize":
                return PilOps.posterize(im, (int) (level * 4));
            case "PosterizeIncreasing":
                return PilOps.posterize(im, 4 - (int) (level * 4));
            case "Solarize":
                return PilOps.solarize(im, Math.min(256, (int) (level * 256)));
            case "SolarizeIncreasing":
                return PilOps.solarize(im, 256 - Math.min(256, (int) (level * 256)));
            case "SolarizeAdd":
                return PilOps.solarizeAdd(im, Math.min(128, (int) (level * 110)), 128);
            case "Color":
                return PilOps.color(im, level * 1.8 + 0.1);
            case "Contrast":
                return PilOps.contrast(im, level * 1.8 + 0.1);
            case "Brightness":
                return PilOps.brightness(im, level * 1.8 + 0.1);
            case "Sharpness":
                return PilOps.sharpness(im, level * 1.8 + 0.1);
            case "ColorIncreasing":
                return PilOps.color(im, increasingFactor(level, rng));
            case "ContrastIncreasing":
                return PilOps.contrast(im, increasingFactor(level, rng));
            case "BrightnessIncreasing":
                return PilOps.brightness(im, increasingFactor(level, rng));
            case "SharpnessIncreasing":
                return PilOps.sharpness(im, increasingFactor(level, rng));
            case "ShearX":
                return PilOps.shearX(im, shearLevel(level, rng), filter(rng), fill);
            case "ShearY":
                return PilOps.shearY(im, shearLevel(level, rng), filter(rng), fill);
            case "TranslateXRel":
                return PilOps.translateXRel(im, translateRelLevel(level, rng), filter(rng), fill);
            case "TranslateYRel":
                return PilOps.translateYRel(im, translateRelLevel(level, rng), filter(rng), fill);
            default:
                throw new IllegalArgumentException("unknown op " + op);
        }
    }

    /** Degrees, sign random (timm's _rotate_level_to_arg); draws before the op's filter, as timm does. */
    private static double rotateLevel(double level, Rng rng) {
        return negate(level * 30.0, rng);
    }

    /** Shear factor, sign random (timm's _shear_level_to_arg). */
    private static double shearLevel(double level, Rng rng) {
        return negate(level * 0.3, rng);
    }

    /** Fraction of the side, sign random (timm's _translate_rel_level_to_arg). */
    private static double translateRelLevel(double level, Rng rng) {
        return negate(level * 0.45, rng);
    }

    private static double increasingFactor(double level, Rng rng) {
        return Math.max(0.1, 1.0 + negate(level * 0.9, rng));
    }

    @Override
    public String toString() {
        return "RandAugment[" + config + "]";
    }
}

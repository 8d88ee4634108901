package dev.mobilenet.data;

import dev.mobilenet.MobileNetException;
import dev.mobilenet.preprocess.Interpolation;
import dev.mobilenet.preprocess.PreprocessConfig;
import dev.mobilenet.image.RgbImage;

/**
 * timm's {@code transforms_imagenet_train}: RandomResizedCropAndInterpolation, horizontal flip, then either
 * RandAugment (colour jitter off, as timm does with auto-augment) or torchvision's ColorJitter
 * (brightness/contrast/saturation in a random order), ToTensor + Normalize in float32, and RandomErasing.
 * The pixel operations are Pillow's ({@link PilOps}); the random draws come from the sample's {@link Rng}
 * (the same distributions as timm, not Python's bit stream). Immutable and thread-safe.
 */
public final class TrainTransform implements SampleTransform {
    private static final Interpolation[] RANDOM = {Interpolation.BILINEAR, Interpolation.BICUBIC};

    private final TrainConfig config;
    private final Interpolation fixedFilter;
    private final RandAugment randAugment;
    private final RandomErasing erasing;
    private final float[] mean;
    private final float[] std;

    public TrainTransform(TrainConfig config) {
        this.config = config;
        this.fixedFilter = config.interpolation().equalsIgnoreCase("random") ? null
                : Interpolation.fromTimm(config.interpolation());
        this.mean = config.mean();
        this.std = config.std();
        if (config.autoAugment() != null && !config.autoAugment().isBlank()) {
            if (fixedFilter != null && fixedFilter != Interpolation.BILINEAR && fixedFilter != Interpolation.BICUBIC) {
                throw new MobileNetException("RandAugment resamples with bilinear or bicubic (or random), not "
                        + fixedFilter.timmName());
            }
            int[] fill = new int[3];
            for (int c = 0; c < 3; c++) {
                fill[c] = (int) Math.min(255, Math.rint(255 * (double) mean[c]));
            }
            this.randAugment = RandAugment.parse(config.autoAugment(), fill, fixedFilter);
        } else {
            this.randAugment = null;
        }
        this.erasing = config.reProb() > 0 ? new RandomErasing(config.reProb(), config.reMode(), config.reCount())
                : null;
    }

    public TrainConfig config() {
        return config;
    }

    @Override
    public PreprocessConfig modelConfig() {
        return config.model();
    }

    /** A crop rectangle in source pixels. */
    public record CropBox(int top, int left, int height, int width) {
    }

    /**
     * torchvision's {@code RandomResizedCrop.get_params}: 10 attempts at an area fraction uniform in the scale
     * range and a log-uniform aspect ratio, sides {@code round(sqrt(area * ratio))} and
     * {@code round(sqrt(area / ratio))}; then the fallback: the whole image clipped to the ratio range, centred.
     */
    public static CropBox cropParams(int imgW, int imgH, double scaleMin, double scaleMax, double ratioMin,
                                     double ratioMax, Rng rng) {
        double area = (double) imgW * imgH;
        double logMin = Math.log(ratioMin);
        double logMax = Math.log(ratioMax);
        for (int attempt = 0; attempt < 10; attempt++) {
            double target = rng.uniform(scaleMin, scaleMax) * area;
            double aspect = Math.exp(rng.uniform(logMin, logMax));
            int w = (int) Math.rint(Math.sqrt(target * aspect));
            int h = (int) Math.rint(Math.sqrt(target / aspect));
            if (w <= imgW && h <= imgH) {
                int top = rng.randint(0, imgH - h);
                int left = rng.randint(0, imgW - w);
                return new CropBox(top, left, h, w);
            }
        }
        return centerFallback(imgW, imgH, ratioMin, ratioMax);
    }

    /** The fallback of {@link #cropParams}. */
    static CropBox centerFallback(int imgW, int imgH, double ratioMin, double ratioMax) {
        double inRatio = (double) imgW / imgH;
        int w;
        int h;
        if (inRatio < ratioMin) {
            w = imgW;
            h = (int) Math.rint(w / ratioMin);
        } else if (inRatio > ratioMax) {
            h = imgH;
            w = (int) Math.rint(h * ratioMax);
        } else {
            w = imgW;
            h = imgH;
        }
        return new CropBox((imgH - h) / 2, (imgW - w) / 2, h, w);
    }

    /** The augmented uint8 image before ToTensor (crop, flip, RandAugment or colour jitter). */
    public RgbImage augment(RgbImage image, Rng rng) {
        CropBox box = cropParams(image.width(), image.height(), config.scaleMin(), config.scaleMax(),
                config.ratioMin(), config.ratioMax(), rng);
        Interpolation filter = fixedFilter != null ? fixedFilter : RANDOM[rng.nextInt(2)];
        RgbImage im = PilOps.resizedCrop(image, box.top(), box.left(), box.height(), box.width(), config.width(),
                config.height(), filter);
        if (config.hflip() > 0 && rng.random() < config.hflip()) {
            im = PilOps.flipHorizontal(im);
        }
        if (randAugment != null) {
            im = randAugment.apply(im, rng);
        } else if (config.colorJitter() > 0) {
            im = colorJitter(im, config.colorJitter(), rng);
        }
        return im;
    }

    /** torchvision's ColorJitter(b, b, b): factors uniform in [max(0, 1 - b), 1 + b], applied in random order. */
    static RgbImage colorJitter(RgbImage im, double strength, Rng rng) {
        int[] order = rng.permutation(3);
        double lo = Math.max(0, 1 - strength);
        double hi = 1 + strength;
        double brightness = rng.uniform(lo, hi);
        double contrast = rng.uniform(lo, hi);
        double saturation = rng.uniform(lo, hi);
        for (int op : order) {
            im = switch (op) {
                case 0 -> PilOps.brightness(im, brightness);
                case 1 -> PilOps.contrast(im, contrast);
                default -> PilOps.color(im, saturation);
            };
        }
        return im;
    }

    @Override
    public void apply(RgbImage image, Rng rng, float[] out, int offset) {
        RgbImage im = augment(image, rng);
        int h = config.height();
        int w = config.width();
        byte[] px = im.rgb();
        int plane = h * w;
        for (int c = 0; c < 3; c++) {
            float m = mean[c];
            float s = std[c];
            int o = offset + c * plane;
            for (int i = 0; i < plane; i++) {
                float v = (px[i * 3 + c] & 0xff) / 255f;
                out[o + i] = (v - m) / s;
            }
        }
        if (erasing != null) {
            erasing.apply(out, offset, 3, h, w, rng);
        }
    }
}

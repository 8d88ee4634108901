package dev.mobilenet.image;

import dev.mobilenet.preprocess.Interpolation;
import dev.mobilenet.preprocess.PreprocessConfig;

import dev.mobilenet.tensor.Tensor;
import java.util.Arrays;

/**
 * timm's evaluation transform on a decoded image, matching torchvision + Pillow bit for bit:
 * <ul>
 * <li>{@code center}: torchvision {@code Resize(scale)} (shorter side to {@code scale}, longer side
 *     {@code int(scale * long / short)}) with the configured filter; for a non-square input size timm uses
 *     {@code ResizeKeepRatio(scale_size)} instead, which sizes each side as {@code round(side / min ratio)} and
 *     always resizes bilinearly. Then {@code CenterCrop}.</li>
 * <li>{@code squash}: resize to {@code scale_size} exactly, then {@code CenterCrop}.</li>
 * <li>{@code border}: {@code ResizeKeepRatio(scale_size, longest=1)}, then {@code CenterCropOrPad} filled with
 *     {@code round(255 * mean)}.</li>
 * </ul>
 * The crop is torchvision's: zero padding (split {@code d // 2}, {@code (d + 1) // 2}) when the image is smaller
 * than the crop, then the offset {@code round((size - crop) / 2)} (half to even). Pixels are scaled as torch's
 * {@code ToTensor} does ({@code x / 255f}) and normalised as {@code Normalize} does ({@code (x - mean) / std}),
 * in float32.
 *
 * <p>Immutable and thread-safe: every call allocates its resized image (the size of the resize target) and the
 * resize's pass buffer; nothing else is allocated when writing into a caller's array.
 */
public final class Preprocessor {
    private final PreprocessConfig config;
    private final float[] mean;
    private final float[] std;
    private final int[] fill;

    public Preprocessor(PreprocessConfig config) {
        this.config = config;
        this.mean = config.mean();
        this.std = config.std();
        this.fill = new int[3];
        if (config.cropMode().equals("border")) {
            for (int c = 0; c < 3; c++) {
                fill[c] = (int) Math.rint(255 * (double) mean[c]);
            }
        }
    }

    public PreprocessConfig config() {
        return config;
    }

    /** Floats written per image: 3 * height * width. */
    public int outputSize() {
        return 3 * config.height() * config.width();
    }

    /** The {@code [1, 3, height, width]} tensor of one image. */
    public Tensor apply(RgbImage image) {
        float[] out = new float[outputSize()];
        apply(image, out, 0);
        return new Tensor(new int[] {1, 3, config.height(), config.width()}, out);
    }

    /** Writes the CHW float32 planes of one image into {@code out[offset .. offset + outputSize())}. */
    public void apply(RgbImage image, float[] out, int offset) {
        if (offset < 0 || out.length - offset < outputSize()) {
            throw new IllegalArgumentException("output needs " + outputSize() + " floats at offset " + offset
                    + ", array has " + out.length);
        }
        RgbImage resized = resize(image);
        Crop crop = crop(resized.width(), resized.height());
        int h = config.height();
        int w = config.width();
        byte[] px = resized.rgb();
        int rw = resized.width();
        for (int c = 0; c < 3; c++) {
            float m = mean[c];
            float s = std[c];
            float fillValue = (fill[c] / 255f - m) / s;
            int plane = offset + c * h * w;
            for (int y = 0; y < h; y++) {
                int sy = y + crop.top;
                int o = plane + y * w;
                if (sy < 0 || sy >= resized.height()) {
                    Arrays.fill(out, o, o + w, fillValue);
                    continue;
                }
                int rowBase = sy * rw;
                for (int x = 0; x < w; x++) {
                    int sx = x + crop.left;
                    if (sx < 0 || sx >= rw) {
                        out[o + x] = fillValue;
                    } else {
                        float v = (px[(rowBase + sx) * 3 + c] & 0xff) / 255f;
                        out[o + x] = (v - m) / s;
                    }
                }
            }
        }
    }

    /** The uint8 image the tensor is made from: resized, padded and cropped (before ToTensor and Normalize). */
    public RgbImage resizeAndCrop(RgbImage image) {
        RgbImage resized = resize(image);
        Crop crop = crop(resized.width(), resized.height());
        int h = config.height();
        int w = config.width();
        RgbImage out = RgbImage.black(w, h);
        byte[] d = out.rgb();
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int sy = y + crop.top;
                int sx = x + crop.left;
                boolean inside = sy >= 0 && sy < resized.height() && sx >= 0 && sx < resized.width();
                for (int c = 0; c < 3; c++) {
                    d[(y * w + x) * 3 + c] = (byte) (inside ? resized.get(sx, sy, c) : fill[c]);
                }
            }
        }
        return out;
    }

    /** The resize step alone. */
    RgbImage resize(RgbImage image) {
        int ih = image.height();
        int iw = image.width();
        int sh = config.scaleHeight();
        int sw = config.scaleWidth();
        switch (config.cropMode()) {
            case "squash":
                return Resize.resize(image, sw, sh, config.interpolation());
            case "border":
                return keepRatio(image, sh, sw, 1.0, config.interpolation());
            default:
                if (sh != sw) {
                    return keepRatio(image, sh, sw, 0.0, Interpolation.BILINEAR);
                }
                int shortSide = Math.min(iw, ih);
                int longSide = Math.max(iw, ih);
                int newLong = (int) ((double) ((long) sh * longSide) / shortSide);
                return iw <= ih ? Resize.resize(image, sh, newLong, config.interpolation())
                        : Resize.resize(image, newLong, sh, config.interpolation());
        }
    }

    /** timm's ResizeKeepRatio without randomness. */
    private static RgbImage keepRatio(RgbImage image, int targetH, int targetW, double longest, Interpolation f) {
        double ratioH = (double) image.height() / targetH;
        double ratioW = (double) image.width() / targetW;
        double ratio = Math.max(ratioH, ratioW) * longest + Math.min(ratioH, ratioW) * (1. - longest);
        int h = (int) Math.rint(image.height() * 1.0 / ratio);
        int w = (int) Math.rint(image.width() * 1.0 / ratio);
        return Resize.resize(image, Math.max(w, 1), Math.max(h, 1), f);
    }

    /** Top-left of the crop in the resized image's coordinates (negative where padding comes first). */
    private record Crop(int top, int left) {
    }

    private Crop crop(int imageW, int imageH) {
        int cropH = config.height();
        int cropW = config.width();
        int padLeft = 0;
        int padTop = 0;
        int pw = imageW;
        int ph = imageH;
        if (cropW > imageW || cropH > imageH) {
            padLeft = cropW > imageW ? (cropW - imageW) / 2 : 0;
            padTop = cropH > imageH ? (cropH - imageH) / 2 : 0;
            int padRight = cropW > imageW ? (cropW - imageW + 1) / 2 : 0;
            int padBottom = cropH > imageH ? (cropH - imageH + 1) / 2 : 0;
            pw = imageW + padLeft + padRight;
            ph = imageH + padTop + padBottom;
        }
        int top = (int) Math.rint((ph - cropH) / 2.0);
        int left = (int) Math.rint((pw - cropW) / 2.0);
        return new Crop(top - padTop, left - padLeft);
    }
}

package dev.mobilenet.data;

import dev.mobilenet.MobileNetException;
import java.util.Arrays;
import java.util.Locale;

/**
 * timm's {@code RandomErasing} on one normalised CHW image: with probability {@code prob}, 1..{@code maxCount}
 * rectangles (area 2%..1/3 of the image divided by the count, log-uniform aspect 0.3..3.33, up to 10 attempts
 * each, strictly smaller than the image) are replaced by zeros ({@code const}), one normal value per channel
 * ({@code rand}) or per-pixel normal noise ({@code pixel}).
 */
public record RandomErasing(double prob, String mode, int maxCount) {
    private static final double MIN_AREA = 0.02;
    private static final double MAX_AREA = 1 / 3.0;
    private static final double LOG_MIN_ASPECT = Math.log(0.3);
    private static final double LOG_MAX_ASPECT = Math.log(1 / 0.3);

    public RandomErasing {
        mode = mode.toLowerCase(Locale.ROOT);
        if (!(prob >= 0 && prob <= 1)) {
            throw new MobileNetException("random erasing probability must be in [0, 1], got " + prob);
        }
        if (!mode.equals("const") && !mode.equals("rand") && !mode.equals("pixel")) {
            throw new MobileNetException("random erasing mode must be const, rand or pixel, got '" + mode + "'");
        }
        if (maxCount < 1) {
            throw new MobileNetException("random erasing count must be at least 1, got " + maxCount);
        }
    }

    /** Erases in place in {@code img[offset ..]} ({@code chan x h x w}). */
    public void apply(float[] img, int offset, int chan, int h, int w, Rng rng) {
        if (rng.random() > prob) {
            return;
        }
        int area = h * w;
        int count = maxCount == 1 ? 1 : rng.randint(1, maxCount);
        for (int k = 0; k < count; k++) {
            for (int attempt = 0; attempt < 10; attempt++) {
                double target = rng.uniform(MIN_AREA, MAX_AREA) * area / count;
                double aspect = Math.exp(rng.uniform(LOG_MIN_ASPECT, LOG_MAX_ASPECT));
                int eh = (int) Math.rint(Math.sqrt(target * aspect));
                int ew = (int) Math.rint(Math.sqrt(target / aspect));
                if (ew < w && eh < h) {
                    int top = rng.randint(0, h - eh);
                    int left = rng.randint(0, w - ew);
                    fill(img, offset, chan, h, w, top, left, eh, ew, rng);
                    break;
                }
            }
        }
    }

    private void fill(float[] img, int offset, int chan, int h, int w, int top, int left, int eh, int ew, Rng rng) {
        for (int c = 0; c < chan; c++) {
            float colour = mode.equals("rand") ? rng.normal() : 0f;
            for (int y = top; y < top + eh; y++) {
                int row = offset + (c * h + y) * w;
                if (mode.equals("pixel")) {
                    for (int x = left; x < left + ew; x++) {
                        img[row + x] = rng.normal();
                    }
                } else {
                    Arrays.fill(img, row + left, row + left + ew, colour);
                }
            }
        }
    }
}

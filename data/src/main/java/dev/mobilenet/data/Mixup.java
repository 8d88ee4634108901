package dev.mobilenet.data;

import dev.mobilenet.MobileNetException;

/**
 * timm's {@code Mixup} in {@code batch} mode: with probability {@code prob} the whole batch is mixed with its
 * reverse ({@code x.flip(0)}): either mixup ({@code x * lam + flip(x) * (1 - lam)}, lam ~ Beta(α, α)) or, with
 * probability {@code switchProb} when both are on, cutmix (a box of side {@code int(size * sqrt(1 - lam))}
 * centred uniformly, clipped to the image, copied from the reversed batch, and lam corrected to
 * {@code 1 - box area / image area}). Targets are timm's {@code mixup_target}: label-smoothed one-hots
 * ({@code off = smoothing / classes}, {@code on = 1 - smoothing + off}) mixed as {@code y * lam + flip(y) * (1 - lam)}.
 */
public record Mixup(double mixupAlpha, double cutmixAlpha, double prob, double switchProb, double labelSmoothing,
                    int numClasses, boolean correctLam) {
    public Mixup {
        if (!(mixupAlpha >= 0) || !(cutmixAlpha >= 0) || (mixupAlpha == 0 && cutmixAlpha == 0)) {
            throw new MobileNetException("mixup needs mixup alpha > 0 or cutmix alpha > 0, got " + mixupAlpha
                    + " and " + cutmixAlpha);
        }
        if (!(prob >= 0 && prob <= 1) || !(switchProb >= 0 && switchProb <= 1)) {
            throw new MobileNetException("mixup probabilities must be in [0, 1]");
        }
        if (!(labelSmoothing >= 0 && labelSmoothing < 1)) {
            throw new MobileNetException("label smoothing must be in [0, 1), got " + labelSmoothing);
        }
        if (numClasses < 1) {
            throw new MobileNetException("mixup needs the number of classes, got " + numClasses);
        }
    }

    /** timm's defaults for the given alphas: prob 1, switch 0.5, smoothing 0.1, corrected lambda. */
    public static Mixup of(double mixupAlpha, double cutmixAlpha, int numClasses) {
        return new Mixup(mixupAlpha, cutmixAlpha, 1.0, 0.5, 0.1, numClasses, true);
    }

    /** The cutmix box, rows {@code [yl, yh)} and columns {@code [xl, xh)}, and the lambda it implies. */
    public record Box(int yl, int yh, int xl, int xh, double lam) {
    }

    /** What was done to a batch. */
    public record Params(double lam, boolean cutmix, Box box) {
    }

    /** timm's {@code _params_per_batch}. */
    Params sample(int h, int w, Rng rng) {
        if (!(rng.random() < prob)) {
            return new Params(1.0, false, null);
        }
        boolean cut;
        double lam;
        if (mixupAlpha > 0 && cutmixAlpha > 0) {
            cut = rng.random() < switchProb;
            lam = cut ? rng.beta(cutmixAlpha, cutmixAlpha) : rng.beta(mixupAlpha, mixupAlpha);
        } else if (mixupAlpha > 0) {
            cut = false;
            lam = rng.beta(mixupAlpha, mixupAlpha);
        } else {
            cut = true;
            lam = rng.beta(cutmixAlpha, cutmixAlpha);
        }
        if (lam == 1.0) {
            return new Params(1.0, false, null);
        }
        if (cut) {
            Box box = cutmixBox(h, w, lam, correctLam, rng);
            return new Params(box.lam(), true, box);
        }
        return new Params(lam, false, null);
    }

    /** timm's {@code rand_bbox} + lambda correction. */
    public static Box cutmixBox(int h, int w, double lam, boolean correct, Rng rng) {
        double ratio = Math.sqrt(1 - lam);
        int cutH = (int) (h * ratio);
        int cutW = (int) (w * ratio);
        int cy = rng.nextInt(h);
        int cx = rng.nextInt(w);
        int yl = clamp(cy - Math.floorDiv(cutH, 2), h);
        int yh = clamp(cy + Math.floorDiv(cutH, 2), h);
        int xl = clamp(cx - Math.floorDiv(cutW, 2), w);
        int xh = clamp(cx + Math.floorDiv(cutW, 2), w);
        double corrected = correct ? 1.0 - (double) (yh - yl) * (xh - xl) / ((double) h * w) : lam;
        return new Box(yl, yh, xl, xh, corrected);
    }

    private static int clamp(int v, int hi) {
        return Math.max(0, Math.min(hi, v));
    }

    /**
     * Mixes {@code x} ({@code n x c x h x w}) in place and returns the soft targets ({@code n x numClasses}).
     */
    public float[] apply(float[] x, int n, int c, int h, int w, int[] labels, Rng rng) {
        Params p = sample(h, w, rng);
        int per = c * h * w;
        if (p.cutmix()) {
            Box b = p.box();
            float[] orig = x.clone();
            for (int i = 0; i < n; i++) {
                int j = n - 1 - i;
                for (int ch = 0; ch < c; ch++) {
                    for (int y = b.yl(); y < b.yh(); y++) {
                        int row = (ch * h + y) * w;
                        System.arraycopy(orig, j * per + row + b.xl(), x, i * per + row + b.xl(), b.xh() - b.xl());
                    }
                }
            }
        } else if (p.lam() != 1.0) {
            float lam = (float) p.lam();
            float rest = (float) (1.0 - p.lam());
            float[] orig = x.clone();
            for (int i = 0; i < n; i++) {
                int j = n - 1 - i;
                for (int k = 0; k < per; k++) {
                    x[i * per + k] = orig[i * per + k] * lam + orig[j * per + k] * rest;
                }
            }
        }
        return targets(labels, n, numClasses, p.lam(), labelSmoothing);
    }

    /** timm's {@code mixup_target}. */
    public static float[] targets(int[] labels, int n, int numClasses, double lam, double smoothing) {
        float off = (float) (smoothing / numClasses);
        float on = (float) (1.0 - smoothing + off);
        float l = (float) lam;
        float r = (float) (1.0 - lam);
        float[] t = new float[n * numClasses];
        for (int i = 0; i < n; i++) {
            int j = n - 1 - i;
            for (int k = 0; k < numClasses; k++) {
                float y1 = labels[i] == k ? on : off;
                float y2 = labels[j] == k ? on : off;
                t[i * numClasses + k] = y1 * l + y2 * r;
            }
        }
        return t;
    }
}

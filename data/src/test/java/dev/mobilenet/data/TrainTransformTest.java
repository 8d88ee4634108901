package dev.mobilenet.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mobilenet.MobileNetException;
import dev.mobilenet.preprocess.PreprocessConfig;
import dev.mobilenet.image.RgbImage;
import java.io.IOException;
import java.util.DoubleSummaryStatistics;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TrainTransformTest {
    /** Draws per statistical check. */
    private static final int DRAWS = 4000;

    @Test
    void cropParamsStayInsideTheScaleAndRatioBounds() {
        int w = 200;
        int h = 150;
        DoubleSummaryStatistics scales = new DoubleSummaryStatistics();
        for (int i = 0; i < DRAWS; i++) {
            TrainTransform.CropBox b = TrainTransform.cropParams(w, h, 0.08, 1.0, 3 / 4.0, 4 / 3.0,
                    Rng.of(1, 0, 0, i));
            assertTrue(b.top() >= 0 && b.left() >= 0 && b.top() + b.height() <= h && b.left() + b.width() <= w, "" + b);
            double scale = (double) b.width() * b.height() / (w * h);
            double ratio = (double) b.width() / b.height();
            boolean fallback = b.width() == w && b.height() == h;
            if (!fallback) {
                // rounding each side to an integer moves the area and ratio by a little
                assertTrue(scale > 0.08 * 0.9 && scale <= 1.0, "scale " + scale);
                assertTrue(ratio > 0.75 * 0.93 && ratio < 4 / 3.0 * 1.07, "ratio " + ratio);
            }
            scales.accept(scale);
        }
        assertTrue(scales.getMin() < 0.1 && scales.getMax() > 0.9, scales.getMin() + ".." + scales.getMax());
    }

    @Test
    void cropRatioIsLogUniformWhereEveryAttemptFits() {
        // square image, scale <= 0.5: log(ratio) is uniform on [log 3/4, log 4/3]
        double lo = Math.log(0.75);
        int[] quarters = new int[4];
        DoubleSummaryStatistics logRatios = new DoubleSummaryStatistics();
        DoubleSummaryStatistics scales = new DoubleSummaryStatistics();
        for (int i = 0; i < DRAWS; i++) {
            TrainTransform.CropBox b = TrainTransform.cropParams(300, 300, 0.08, 0.5, 3 / 4.0, 4 / 3.0,
                    Rng.of(2, 0, 0, i));
            double lr = Math.log((double) b.width() / b.height());
            logRatios.accept(lr);
            quarters[Math.max(0, Math.min(3, (int) ((lr - lo) / (-2 * lo) * 4)))]++;
            scales.accept(b.width() * (double) b.height() / 90000);
        }
        assertEquals(0, logRatios.getAverage(), 0.01, "mean log ratio");
        for (int q : quarters) {
            assertEquals(DRAWS / 4.0, q, DRAWS * 0.04, "log ratio quarters " + java.util.Arrays.toString(quarters));
        }
        assertEquals(0.29, scales.getAverage(), 0.01, "mean scale of uniform 0.08..0.5");
    }

    @Test
    void fallbackIsTheCentreCropClippedToTheRatio() {
        // area 1.0 at ratio 1 never fits a 300x100 image: 10 failed attempts, then the fallback
        assertEquals(new TrainTransform.CropBox(0, 100, 100, 100),
                TrainTransform.cropParams(300, 100, 1.0, 1.0, 1.0, 1.0, Rng.of(0, 0, 0, 0)));
        assertEquals(new TrainTransform.CropBox(100, 0, 100, 100),
                TrainTransform.cropParams(100, 300, 1.0, 1.0, 1.0, 1.0, Rng.of(0, 0, 0, 0)));
        assertEquals(new TrainTransform.CropBox(0, 23, 100, 133),
                TrainTransform.centerFallback(180, 100, 0.75, 4 / 3.0));
        assertEquals(new TrainTransform.CropBox(0, 0, 90, 100),
                TrainTransform.centerFallback(100, 90, 0.75, 4 / 3.0));
    }

    @Test
    void transformIsDeterministicPerRngAndNormalises() throws IOException {
        RgbImage im = PilOpsTest.load("in_a.png");
        PreprocessConfig model = PreprocessConfig.timmDefaults().withInputSize(16, 16);
        TrainConfig cfg = TrainConfig.timmDefaults(model).withAutoAugment("rand-m9-mstd0.5")
                .withRandomErasing(0.5, "pixel", 1);
        TrainTransform t = new TrainTransform(cfg);
        Set<String> distinct = new HashSet<>();
        for (int i = 0; i < 20; i++) {
            float[] a = new float[3 * 16 * 16];
            float[] b = new float[3 * 16 * 16];
            t.apply(im, Rng.of(5, 2, 0, i), a, 0);
            t.apply(im, Rng.of(5, 2, 0, i), b, 0);
            assertArrayEquals(a, b);
            distinct.add(java.util.Arrays.toString(a));
        }
        assertTrue(distinct.size() > 15, "different samples differ");
        // without augmentation beyond a full-image crop, the tensor is ToTensor + Normalize of the resize
        TrainConfig plain = TrainConfig.timmDefaults(model).withScale(1, 1).withHflip(0).withColorJitter(0)
                .withInterpolation("bilinear");
        float[] out = new float[3 * 16 * 16];
        new TrainTransform(plain).apply(im, Rng.of(0, 0, 0, 0), out, 0);
        RgbImage crop = PilOps.resizedCrop(im, 0, 0, 24, 32, 16, 16, dev.mobilenet.preprocess.Interpolation.BILINEAR);
        assertFalse(crop.width() != 16);
        float[] mean = model.mean();
        float[] std = model.std();
        for (int c = 0; c < 3; c++) {
            for (int i = 0; i < 256; i++) {
                // scale 1 and ratio 4/3 of a 32x24 image: the whole image
                float v = ((crop.rgb()[i * 3 + c] & 0xff) / 255f - mean[c]) / std[c];
                assertEquals(v, out[c * 256 + i]);
            }
        }
    }

    @Test
    void colorJitterIsOffWithRandAugmentAsInTimm() throws IOException {
        RgbImage im = PilOpsTest.load("in_c.png");
        TrainConfig base = TrainConfig.timmDefaults(PreprocessConfig.timmDefaults().withInputSize(12, 12));
        TrainTransform jitter = new TrainTransform(base.withAutoAugment("rand-m9-mstd0.5"));
        TrainTransform none = new TrainTransform(base.withAutoAugment("rand-m9-mstd0.5").withColorJitter(0));
        TrainTransform plainJitter = new TrainTransform(base);
        TrainTransform plainNone = new TrainTransform(base.withColorJitter(0));
        int jitterChanges = 0;
        for (int i = 0; i < 10; i++) {
            assertSame(none.augment(im, Rng.of(0, 0, 0, i)), jitter.augment(im, Rng.of(0, 0, 0, i)));
            RgbImage a = plainJitter.augment(im, Rng.of(0, 0, 0, i));
            RgbImage b = plainNone.augment(im, Rng.of(0, 0, 0, i));
            jitterChanges += java.util.Arrays.equals(a.rgb(), b.rgb()) ? 0 : 1;
        }
        assertTrue(jitterChanges >= 9, "without auto-augment the jitter changes the image");
    }

    @Test
    void randAugmentConfigStrings() {
        int[] fill = {124, 116, 104};
        assertEquals(RandAugment.RAND_TRANSFORMS, RandAugment.parse("rand-m9-mstd0.5", fill, null).ops());
        assertEquals(RandAugment.RAND_INCREASING_TRANSFORMS,
                RandAugment.parse("rand-m9-mstd0.5-inc1", fill, null).ops());
        MobileNetException e = assertThrows(MobileNetException.class, () -> RandAugment.parse("augmix-m5", fill, null));
        assertTrue(e.getMessage().contains("only RandAugment"), e.getMessage());
        e = assertThrows(MobileNetException.class, () -> RandAugment.parse("rand-m9-q3", fill, null));
        assertTrue(e.getMessage().contains("unknown section 'q3'"), e.getMessage());
        e = assertThrows(MobileNetException.class, () -> RandAugment.parse("rand-m9-p1.5", fill, null));
        assertTrue(e.getMessage().contains("p in [0, 1]"), e.getMessage());
        e = assertThrows(MobileNetException.class,
                () -> new RandAugment("custom", List.of("Rotate", "Blur"), 2, 0.5, 9, 0, 10, fill, null));
        assertEquals("auto-augment 'custom': unknown op Blur", e.getMessage());
        RandAugment ra = RandAugment.parse("rand-m9-mstd0.5", fill, null);
        ra.fill()[0] = 0;
        assertEquals(124, ra.fill()[0], "fill is copied in and out");
    }

    @Test
    void randAugmentLevelsMapToTimmArguments() throws IOException {
        RgbImage im = PilOpsTest.load("in_b.png");
        int[] fill = {124, 116, 104};
        RandAugment ra = RandAugment.parse("rand-m9-mstd0.5", fill, null);
        Rng rng = Rng.of(0, 0, 0, 0);
        // magnitude 9: posterize int(0.9 * 4) = 3 bits, solarize int(0.9 * 256) = 230, solarize-add
        // int(0.9 * 110) = 99, enhance 0.9 * 1.8 + 0.1 = 1.72
        assertSame(PilOps.posterize(im, 3), ra.apply(im, "Posterize", 9, rng));
        assertSame(PilOps.solarize(im, 230), ra.apply(im, "Solarize", 9, rng));
        assertSame(PilOps.solarizeAdd(im, 99, 128), ra.apply(im, "SolarizeAdd", 9, rng));
        assertSame(PilOps.color(im, 0.9 * 1.8 + 0.1), ra.apply(im, "Color", 9, rng));
        assertSame(PilOps.sharpness(im, 0.9 * 1.8 + 0.1), ra.apply(im, "Sharpness", 9, rng));
        assertSame(PilOps.posterize(im, 4), ra.apply(im, "PosterizeIncreasing", 0, rng));
        // signed geometric ops: +-27 degrees, +-0.27 shear, +-0.405 of the size, bilinear or bicubic
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 40; i++) {
            RgbImage got = ra.apply(im, "Rotate", 9, Rng.of(1, 0, 0, i));
            int k = 0;
            for (double deg : new double[] {27, -27}) {
                for (dev.mobilenet.preprocess.Interpolation f : new dev.mobilenet.preprocess.Interpolation[] {
                    dev.mobilenet.preprocess.Interpolation.BILINEAR, dev.mobilenet.preprocess.Interpolation.BICUBIC}) {
                    if (java.util.Arrays.equals(PilOps.rotate(im, deg, f, fill).rgb(), got.rgb())) {
                        seen.add(deg + " " + f);
                        k++;
                    }
                }
            }
            assertEquals(1, k, "rotation is one of +-27 degrees with one of the two filters");
            RgbImage shear = ra.apply(im, "ShearX", 9, Rng.of(2, 0, 0, i));
            assertTrue(java.util.Arrays.equals(PilOps.shearX(im, 0.27, dev.mobilenet.preprocess.Interpolation.BILINEAR,
                    fill).rgb(), shear.rgb()) || java.util.Arrays.equals(PilOps.shearX(im, -0.27,
                    dev.mobilenet.preprocess.Interpolation.BILINEAR, fill).rgb(), shear.rgb())
                    || java.util.Arrays.equals(PilOps.shearX(im, 0.27, dev.mobilenet.preprocess.Interpolation.BICUBIC,
                    fill).rgb(), shear.rgb()) || java.util.Arrays.equals(PilOps.shearX(im, -0.27,
                    dev.mobilenet.preprocess.Interpolation.BICUBIC, fill).rgb(), shear.rgb()));
        }
        assertEquals(4, seen.size(), "both signs and both filters occur: " + seen);
    }

    private static void assertSame(RgbImage expected, RgbImage actual) {
        assertArrayEquals(expected.rgb(), actual.rgb());
    }

    @Test
    void randomErasingPixelModeFillsOneBox() {
        float[] img = new float[3 * 20 * 30];
        new RandomErasing(1.0, "pixel", 1).apply(img, 0, 3, 20, 30, Rng.of(3, 0, 0, 0));
        int changed = 0;
        int minX = 99;
        int maxX = -1;
        int minY = 99;
        int maxY = -1;
        for (int y = 0; y < 20; y++) {
            for (int x = 0; x < 30; x++) {
                if (img[y * 30 + x] != 0) {
                    changed++;
                    minX = Math.min(minX, x);
                    maxX = Math.max(maxX, x);
                    minY = Math.min(minY, y);
                    maxY = Math.max(maxY, y);
                }
            }
        }
        int box = (maxX - minX + 1) * (maxY - minY + 1);
        assertEquals(box, changed, "one solid rectangle of noise");
        assertTrue(box >= 0.02 * 600 * 0.5 && box <= 600 / 3.0 * 1.5, "area " + box);
    }
}

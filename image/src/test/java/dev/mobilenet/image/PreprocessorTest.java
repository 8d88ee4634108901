package dev.mobilenet.image;

import dev.mobilenet.preprocess.Interpolation;
import dev.mobilenet.preprocess.PreprocessConfig;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mobilenet.MobileNetException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** The API around the parity-tested pipeline: validation, the uint8 stage, batches from several threads. */
class PreprocessorTest {
    private static final float[] MEAN = {0.485f, 0.456f, 0.406f};
    private static final float[] STD = {0.229f, 0.224f, 0.225f};

    @Test
    void badConfigsFailWithOneLine() {
        assertThrows(MobileNetException.class,
                () -> new PreprocessConfig(0, 224, 0.875, "center", Interpolation.BICUBIC, MEAN, STD));
        assertThrows(MobileNetException.class,
                () -> new PreprocessConfig(224, 224, 0, "center", Interpolation.BICUBIC, MEAN, STD));
        assertThrows(MobileNetException.class,
                () -> new PreprocessConfig(224, 224, 1e-9, "center", Interpolation.BICUBIC, MEAN, STD));
        MobileNetException e = assertThrows(MobileNetException.class,
                () -> new PreprocessConfig(224, 224, 0.875, "random", Interpolation.BICUBIC, MEAN, STD));
        assertTrue(e.getMessage().contains("unknown crop mode 'random'"), e.getMessage());
        assertThrows(MobileNetException.class, () -> new PreprocessConfig(224, 224, 0.875, "center",
                Interpolation.BICUBIC, MEAN, new float[] {1, 0, 1}));
        e = assertThrows(MobileNetException.class, () -> Interpolation.fromTimm("cubic"));
        assertTrue(e.getMessage().contains("unknown interpolation 'cubic'"), e.getMessage());
        assertEquals(Interpolation.LANCZOS, Interpolation.fromTimm("antialias"));
        assertEquals(Interpolation.BICUBIC, Interpolation.fromTimm(" Bicubic "));
    }

    @Test
    void configIsAValue() {
        PreprocessConfig a = new PreprocessConfig(224, 224, 0.875, "CENTER", Interpolation.BICUBIC, MEAN, STD);
        float[] mean = MEAN.clone();
        PreprocessConfig b = new PreprocessConfig(224, 224, 0.875, "center", Interpolation.BICUBIC, mean, STD);
        mean[0] = 9;
        assertEquals(a, b);
        assertEquals(a.hashCode(), b.hashCode());
        assertEquals(0.485f, b.mean()[0]);
        assertEquals(256, a.scaleHeight());
        assertEquals(PreprocessConfig.timmDefaults(), a);
        assertEquals(292, a.withInputSize(256, 320).scaleHeight());
        assertEquals(365, a.withInputSize(256, 320).scaleWidth());
    }

    @Test
    void tensorIsTheCropScaledAndNormalised() {
        RgbImage img = Fixtures.decode("eval_171x255.png");
        for (String mode : new String[] {"center", "squash", "border"}) {
            Preprocessor pre = new Preprocessor(new PreprocessConfig(50, 70, 1.1, mode, Interpolation.HAMMING, MEAN,
                    STD));
            RgbImage crop = pre.resizeAndCrop(img);
            float[] x = pre.apply(img).data();
            assertEquals(70, crop.width());
            assertEquals(50, crop.height());
            for (int c = 0; c < 3; c++) {
                for (int y = 0; y < 50; y++) {
                    for (int xx = 0; xx < 70; xx++) {
                        float expected = (crop.get(xx, y, c) / 255f - MEAN[c]) / STD[c];
                        assertEquals(expected, x[(c * 50 + y) * 70 + xx], 0f, mode);
                    }
                }
            }
        }
    }

    @Test
    void oneInstanceServesSeveralThreads() throws Exception {
        Preprocessor pre = new Preprocessor(new PreprocessConfig(64, 64, 0.875, "center", Interpolation.BICUBIC,
                MEAN, STD));
        String[] files = {"src_255x171.png", "eval_171x255.png", "jpeg_420_160x120.jpg", "png_rgb_3x7.png"};
        float[] expected = new float[files.length * pre.outputSize()];
        for (int i = 0; i < files.length; i++) {
            pre.apply(Fixtures.decode(files[i]), expected, i * pre.outputSize());
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            for (int round = 0; round < 5; round++) {
                float[] batch = new float[expected.length];
                List<Future<?>> jobs = new ArrayList<>();
                for (int i = 0; i < files.length; i++) {
                    int k = i;
                    jobs.add(pool.submit(() -> pre.apply(Fixtures.decode(files[k]), batch, k * pre.outputSize())));
                }
                for (Future<?> f : jobs) {
                    f.get();
                }
                assertArrayEquals(expected, batch);
            }
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void outputBoundsAreChecked() {
        Preprocessor pre = new Preprocessor(PreprocessConfig.timmDefaults());
        RgbImage img = Fixtures.decode("png_rgb_3x7.png");
        assertThrows(IllegalArgumentException.class, () -> pre.apply(img, new float[pre.outputSize()], 1));
        assertThrows(IllegalArgumentException.class, () -> Resize.resize(img, 0, 5, Interpolation.BOX));
    }
}

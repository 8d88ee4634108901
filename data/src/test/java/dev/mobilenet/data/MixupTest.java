package dev.mobilenet.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class MixupTest {
    static float[] batch(int n, int per) {
        float[] x = new float[n * per];
        for (int i = 0; i < x.length; i++) {
            x[i] = (i / per) * 10 + (i % per) * 0.001f;
        }
        return x;
    }

    static void assertRowsSumToOne(float[] t, int n, int k) {
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (int j = 0; j < k; j++) {
                assertTrue(t[i * k + j] >= 0);
                s += t[i * k + j];
            }
            assertEquals(1.0, s, 1e-5);
        }
    }

    @Test
    void mixupBlendsWithTheReversedBatch() {
        Mixup m = new Mixup(0.8, 0, 1.0, 0.5, 0.1, 5, true);
        int n = 4;
        int per = 2 * 3 * 3;
        for (int trial = 0; trial < 20; trial++) {
            float[] x = batch(n, per);
            float[] orig = x.clone();
            int[] labels = {0, 1, 2, 4};
            Rng rng = Rng.of(9, 3, 0, trial);
            Mixup.Params p = m.sample(3, 3, Rng.of(9, 3, 0, trial));
            float[] t = m.apply(x, n, 2, 3, 3, labels, rng);
            assertTrue(p.lam() > 0 && p.lam() < 1);
            for (int i = 0; i < n; i++) {
                for (int k = 0; k < per; k++) {
                    float want = orig[i * per + k] * (float) p.lam()
                            + orig[(n - 1 - i) * per + k] * (float) (1 - p.lam());
                    assertEquals(want, x[i * per + k], 1e-5);
                }
            }
            assertRowsSumToOne(t, n, 5);
            // sample 0 (label 0) mixed with sample 3 (label 4): lam on 0, 1 - lam on 4, smoothing elsewhere
            float off = 0.1f / 5;
            assertEquals((1 - 0.1 + off) * p.lam() + off * (1 - p.lam()), t[0], 1e-6);
            assertEquals(off * p.lam() + (1 - 0.1 + off) * (1 - p.lam()), t[4], 1e-6);
            assertEquals(off, t[1], 1e-7);
        }
    }

    @Test
    void cutmixCopiesABoxAndCorrectsLambda() {
        Mixup m = new Mixup(0, 1.0, 1.0, 0.5, 0.0, 3, true);
        int n = 2;
        int h = 16;
        int w = 20;
        int per = 3 * h * w;
        int sawClipped = 0;
        for (int trial = 0; trial < 50; trial++) {
            float[] x = batch(n, per);
            float[] orig = x.clone();
            Mixup.Params p = m.sample(h, w, Rng.of(4, 3, 0, trial));
            float[] t = m.apply(x, n, 3, h, w, new int[] {0, 2}, Rng.of(4, 3, 0, trial));
            assertTrue(p.cutmix());
            Mixup.Box b = p.box();
            double area = (double) (b.yh() - b.yl()) * (b.xh() - b.xl());
            assertEquals(1 - area / (h * w), p.lam(), 1e-12);
            for (int c = 0; c < 3; c++) {
                for (int y = 0; y < h; y++) {
                    for (int xx = 0; xx < w; xx++) {
                        boolean in = y >= b.yl() && y < b.yh() && xx >= b.xl() && xx < b.xh();
                        int k = (c * h + y) * w + xx;
                        assertEquals(in ? orig[per + k] : orig[k], x[k]);
                        assertEquals(in ? orig[k] : orig[per + k], x[per + k]);
                    }
                }
            }
            assertEquals((float) p.lam(), t[0], 1e-6);
            assertEquals((float) (1 - p.lam()), t[2], 1e-6);
            assertRowsSumToOne(t, n, 3);
            if (b.yl() == 0 || b.xl() == 0 || b.yh() == h || b.xh() == w) {
                sawClipped++;
            }
        }
        assertTrue(sawClipped > 0, "some boxes are clipped by the border");
    }

    @Test
    void probabilityZeroGivesSmoothedOneHots() {
        Mixup m = new Mixup(1.0, 1.0, 0.0, 0.5, 0.1, 4, true);
        float[] x = batch(2, 4);
        float[] orig = x.clone();
        float[] t = m.apply(x, 2, 1, 2, 2, new int[] {3, 1}, Rng.of(0, 0, 0, 0));
        assertEquals(java.util.Arrays.toString(orig), java.util.Arrays.toString(x));
        assertEquals(0.925f, t[3], 1e-6);
        assertEquals(0.025f, t[0], 1e-6);
        assertRowsSumToOne(t, 2, 4);
    }

    @Test
    void betaSamplesHaveTheRightMean() {
        double s = 0;
        Rng rng = Rng.of(1, 1, 1, 1);
        for (int i = 0; i < 20000; i++) {
            s += rng.beta(0.2, 0.2);
        }
        assertEquals(0.5, s / 20000, 0.02);
    }
}

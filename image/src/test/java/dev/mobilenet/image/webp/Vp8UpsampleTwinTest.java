package dev.mobilenet.image.webp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.mobilenet.testing.TwinTest;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link VectorVp8Upsample} writes exactly the bytes {@link ScalarVp8Upsample} writes, over runs that end between
 * vectors or span several blocks, with and without the bottom row, on seeded planes from flat to every byte value;
 * over every run length up to 80 columns and around the kernel's block of 256; and for every (Y, U, V) triple.
 */
class Vp8UpsampleTwinTest extends TwinTest {
    Vp8UpsampleTwinTest() {
        super(20261130L, 1f);
    }

    @Test
    void vectorUpsamplingEqualsScalar() {
        VectorVp8Upsample vector = new VectorVp8Upsample();
        Random rnd = new Random(12);
        int[] spreads = {0, 2, 16, 80, 255};
        for (int i = 0; i < 4000; i++) {
            int spread = spreads[i % spreads.length];
            int len = 2 + rnd.nextInt(i % 10 == 0 ? 1200 : 90);
            int cw = (len + 1) / 2;
            byte[] y = WebpFixtures.plane(rnd, 2 * len + 5, spread);
            byte[] u = WebpFixtures.plane(rnd, 2 * cw + 3, spread);
            byte[] v = WebpFixtures.plane(rnd, 2 * cw + 3, spread);
            int topY = rnd.nextInt(3);
            int botY = i % 3 == 0 ? -1 : topY + len;
            int cTop = rnd.nextInt(2);
            int cCur = cTop + cw;
            int x0 = 1 + rnd.nextInt(3);
            int x1 = Math.max(x0, (len - 1) / 2 + 1 - rnd.nextInt(2));
            byte[] s = new byte[6 * len + 7];
            byte[] w = s.clone();
            ScalarVp8Upsample.INSTANCE.pairs(y, topY, botY, u, v, cTop, cCur, x0, x1, s, 1, 1 + 3 * len);
            vector.pairs(y, topY, botY, u, v, cTop, cCur, x0, x1, w, 1, 1 + 3 * len);
            assertArrayEquals(s, w, "case " + i + ", length " + len + ", spread " + spread);
        }
    }

    @Test
    void everyRunLengthAndBlockBoundary() {
        VectorVp8Upsample vector = new VectorVp8Upsample();
        Random rnd = new Random(34);
        int[] extra = {255, 256, 257, 271, 272, 273, 511, 512, 513, 527, 528, 529, 1999};
        int[] lengths = new int[80 + extra.length];
        for (int i = 0; i < 80; i++) {
            lengths[i] = i;
        }
        System.arraycopy(extra, 0, lengths, 80, extra.length);
        for (int columns : lengths) {
            for (int bottom = 0; bottom < 2; bottom++) {
                int x0 = 1 + rnd.nextInt(2);
                int x1 = x0 + columns;
                int len = 2 * x1;
                byte[] y = WebpFixtures.plane(rnd, 2 * len, 255);
                byte[] u = WebpFixtures.plane(rnd, 2 * x1, 255);
                byte[] v = WebpFixtures.plane(rnd, 2 * x1, 255);
                int botY = bottom == 0 ? -1 : len;
                byte[] s = new byte[6 * len];
                byte[] w = s.clone();
                ScalarVp8Upsample.INSTANCE.pairs(y, 0, botY, u, v, 0, x1, x0, x1, s, 0, 3 * len);
                vector.pairs(y, 0, botY, u, v, 0, x1, x0, x1, w, 0, 3 * len);
                assertArrayEquals(s, w, columns + " columns from " + x0 + ", bottom row " + (bottom == 1));
            }
        }
    }

    /**
     * Flat chroma planes upsample to themselves, so each (U, V) pair meets all 256 luma values on the top row and
     * again in reverse on the bottom row: the 16-bit arithmetic of the vector conversion over its whole domain.
     */
    @Test
    void everyYuvTriple() {
        VectorVp8Upsample vector = new VectorVp8Upsample();
        int x1 = 129;
        byte[] y = new byte[4 * x1];
        for (int p = 0; p < 2 * x1; p++) {
            y[p] = (byte) (p - 1);
            y[2 * x1 + p] = (byte) (256 - p);
        }
        byte[] u = new byte[2 * x1];
        byte[] v = new byte[2 * x1];
        byte[] s = new byte[12 * x1];
        byte[] w = new byte[12 * x1];
        for (int cu = 0; cu < 256; cu++) {
            java.util.Arrays.fill(u, (byte) cu);
            for (int cv = 0; cv < 256; cv++) {
                java.util.Arrays.fill(v, (byte) cv);
                ScalarVp8Upsample.INSTANCE.pairs(y, 0, 2 * x1, u, v, 0, x1, 1, x1, s, 0, 6 * x1);
                vector.pairs(y, 0, 2 * x1, u, v, 0, x1, 1, x1, w, 0, 6 * x1);
                if (!java.util.Arrays.equals(s, w)) {
                    assertArrayEquals(s, w, "U " + cu + ", V " + cv);
                }
            }
        }
    }
}

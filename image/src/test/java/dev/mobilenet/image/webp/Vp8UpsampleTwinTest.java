package dev.mobilenet.image.webp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.mobilenet.testing.TwinTest;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link VectorVp8Upsample} writes exactly the bytes {@link ScalarVp8Upsample} writes, over runs that end between
 * vectors or span several blocks, with and without the bottom row, on seeded planes from flat to every byte value.
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
}

package dev.mobilenet.image.webp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.mobilenet.testing.TwinTest;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link VectorVp8Edges} changes exactly the bytes {@link ScalarVp8Edges} changes, on seeded planes from flat
 * (every position filtered) to rough (few), with the limits, interior limits and variance thresholds libwebp uses.
 */
class Vp8EdgeTwinTest extends TwinTest {
    private static final int STRIDE = 40;

    Vp8EdgeTwinTest() {
        super(20261130L, 1f);
    }

    private static byte[] plane(Random rnd, int spread) {
        byte[] b = new byte[STRIDE * 12];
        int base = rnd.nextInt(256);
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) Math.max(0, Math.min(255, base + rnd.nextInt(2 * spread + 1) - spread));
        }
        return b;
    }

    @Test
    void vectorEdgesEqualScalar() {
        VectorVp8Edges vector = new VectorVp8Edges();
        Random rnd = new Random(12);
        int[] spreads = {0, 1, 3, 8, 20, 60, 128};
        for (int i = 0; i < 20000; i++) {
            int spread = spreads[i % spreads.length];
            byte[] s = plane(rnd, spread);
            byte[] v = s.clone();
            int p = 4 * STRIDE + rnd.nextInt(STRIDE - 16);
            int level = 1 + rnd.nextInt(63);
            int ilevel = 1 + rnd.nextInt(level < 9 ? level : 9);
            int thresh = 2 * level + ilevel + (i % 2 == 0 ? 4 : 0);
            int hev = rnd.nextInt(3);
            if (i % 2 == 0) {
                ScalarVp8Edges.INSTANCE.mbEdge16(s, p, STRIDE, thresh, ilevel, hev);
                vector.mbEdge16(v, p, STRIDE, thresh, ilevel, hev);
            } else {
                ScalarVp8Edges.INSTANCE.innerEdge16(s, p, STRIDE, thresh, ilevel, hev);
                vector.innerEdge16(v, p, STRIDE, thresh, ilevel, hev);
            }
            assertArrayEquals(s, v, "case " + i + ", spread " + spread);
        }
    }
}

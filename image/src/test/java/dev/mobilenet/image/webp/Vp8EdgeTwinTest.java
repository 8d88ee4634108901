package dev.mobilenet.image.webp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mobilenet.testing.TwinTest;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link VectorVp8Edges} changes exactly the bytes {@link ScalarVp8Edges} changes, on seeded planes from flat
 * (every position filtered) to rough (few), with the limits, interior limits and variance thresholds libwebp uses:
 * single 16-wide edges, and whole macroblocks' vertical luma, vertical chroma and horizontal chroma edges with and
 * without the macroblock edge and the inner ones.
 */
class Vp8EdgeTwinTest extends TwinTest {
    private static final int STRIDE = 40;

    Vp8EdgeTwinTest() {
        super(20261130L, 1f);
    }

    @Test
    void vectorEdgesEqualScalar() {
        VectorVp8Edges vector = new VectorVp8Edges();
        Random rnd = new Random(12);
        for (int i = 0; i < 20000; i++) {
            int spread = WebpFixtures.spread(i);
            byte[] s = WebpFixtures.plane(rnd, STRIDE * 12, spread);
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

    @Test
    void vectorMacroblockEdgesEqualScalar() {
        VectorVp8Edges vector = new VectorVp8Edges();
        Random rnd = new Random(13);
        int stride = 48;
        byte[] scratch = new byte[Vp8EdgeKernels.SCRATCH];
        int changed = 0;
        for (int i = 0; i < 6000; i++) {
            int spread = WebpFixtures.spread(i);
            int level = 1 + rnd.nextInt(63);
            int ilevel = 1 + rnd.nextInt(level < 9 ? level : 9);
            int thresh = 2 * level + ilevel;
            int hev = rnd.nextInt(3);
            boolean edge = rnd.nextBoolean();
            boolean inner = rnd.nextInt(4) != 0;
            int kind = i % 3;
            int rows = kind == 0 ? 16 : 8;
            // the macroblock at (16, 4) of the luma plane or (8, 4) of the chroma planes, picture data around it
            int p = 4 * stride + rows;
            byte[] sy = WebpFixtures.plane(rnd, stride * (rows + 8), spread);
            byte[] sv = WebpFixtures.plane(rnd, stride * (rows + 8), spread);
            byte[] vy = sy.clone();
            byte[] vv = sv.clone();
            byte[] beforeY = sy.clone();
            byte[] beforeV = sv.clone();
            if (kind == 0) {
                ScalarVp8Edges.INSTANCE.yColumns(sy, p, stride, edge, inner, thresh, ilevel, hev, scratch);
                vector.yColumns(vy, p, stride, edge, inner, thresh, ilevel, hev, scratch);
            } else if (kind == 1) {
                ScalarVp8Edges.INSTANCE.uvColumns(sy, sv, p, stride, edge, inner, thresh, ilevel, hev, scratch);
                vector.uvColumns(vy, vv, p, stride, edge, inner, thresh, ilevel, hev, scratch);
            } else {
                ScalarVp8Edges.INSTANCE.uvRows(sy, sv, p, stride, edge, inner, thresh, ilevel, hev, scratch);
                vector.uvRows(vy, vv, p, stride, edge, inner, thresh, ilevel, hev, scratch);
            }
            String what = "case " + i + ", kind " + kind + ", edge " + edge + ", inner " + inner;
            assertArrayEquals(sy, vy, what);
            assertArrayEquals(sv, vv, what);
            changed += Arrays.equals(beforeY, sy) && Arrays.equals(beforeV, sv) ? 0 : 1;
        }
        assertTrue(changed > 1500, changed + " of 6000 cases changed a pixel");
    }
}

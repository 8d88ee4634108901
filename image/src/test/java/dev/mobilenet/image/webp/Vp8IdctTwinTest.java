package dev.mobilenet.image.webp;

import static dev.mobilenet.image.webp.Vp8Decoder.BPS;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mobilenet.testing.TwinTest;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link VectorVp8Idct} writes exactly the bytes {@link ScalarVp8Idct} writes, on seeded blocks from the sparse,
 * small coefficients of real pictures to the full 16-bit range (where libwebp's intermediates wrap around), over
 * seeded prediction pixels from flat to every byte value, at every column of a work area's row; the same for the
 * DC-only transform.
 */
class Vp8IdctTwinTest extends TwinTest {
    Vp8IdctTwinTest() {
        super(20261201L, 1f);
    }

    @Test
    void vectorIdctEqualsScalar() {
        VectorVp8Idct vector = new VectorVp8Idct();
        Random rnd = new Random(14);
        int[] spreads = {0, 1, 3, 8, 20, 60, 128};
        int[] ranges = {2, 16, 128, 1024, 2048, 8192, 32768};
        short[] in = new short[64];
        int wrapped = 0;
        int clamped = 0;
        for (int i = 0; i < 200_000; i++) {
            int range = ranges[i % ranges.length];
            boolean sparse = rnd.nextInt(3) == 0;
            int off = rnd.nextInt(in.length - 15);
            Arrays.fill(in, (short) 0);
            for (int k = 0; k < 16; k++) {
                if (!sparse || rnd.nextInt(4) == 0) {
                    in[off + k] = (short) (rnd.nextInt(2 * range) - range);
                }
            }
            if (i % 97 == 0) {
                for (int k = 0; k < 16; k++) {
                    in[off + k] = rnd.nextBoolean() ? Short.MIN_VALUE : Short.MAX_VALUE;
                }
            }
            byte[] s = WebpFixtures.plane(rnd, BPS * 6, spreads[i % spreads.length]);
            byte[] v = s.clone();
            byte[] before = s.clone();
            int d = BPS + rnd.nextInt(BPS - 3);
            ScalarVp8Idct.INSTANCE.full(in, off, s, d);
            vector.full(in, off, v, d);
            assertArrayEquals(s, v, "case " + i + ", range " + range);
            wrapped += wraps(in, off) ? 1 : 0;
            clamped += clamps(before, s, d) ? 1 : 0;
        }
        assertTrue(wrapped > 10_000, wrapped + " cases wrapped an intermediate");
        assertTrue(clamped > 10_000, clamped + " cases clamped a pixel");
    }

    @Test
    void vectorDcEqualsScalar() {
        VectorVp8Idct vector = new VectorVp8Idct();
        Random rnd = new Random(15);
        int[] spreads = {0, 1, 3, 8, 20, 60, 128};
        int[] ranges = {8, 64, 512, 2048, 32768};
        int clamped = 0;
        for (int i = 0; i < 50_000; i++) {
            int range = ranges[i % ranges.length];
            int dc = i % 101 == 0 ? (rnd.nextBoolean() ? Short.MIN_VALUE : Short.MAX_VALUE)
                    : rnd.nextInt(2 * range) - range;
            byte[] s = WebpFixtures.plane(rnd, BPS * 6, spreads[i % spreads.length]);
            byte[] v = s.clone();
            byte[] before = s.clone();
            int d = BPS + rnd.nextInt(BPS - 3);
            ScalarVp8Idct.INSTANCE.dc(dc, s, d);
            vector.dc(dc, v, d);
            assertArrayEquals(s, v, "case " + i + ", dc " + dc);
            clamped += clamps(before, s, d) ? 1 : 0;
        }
        assertTrue(clamped > 5_000, clamped + " cases clamped a pixel");
    }

    /** Whether libwebp's first pass leaves 16 bits on this block (a sum of two inputs alone can). */
    private static boolean wraps(short[] in, int off) {
        for (int k = 0; k < 4; k++) {
            int a = in[off + k] + in[off + 8 + k];
            int b = in[off + k] - in[off + 8 + k];
            if (a != (short) a || b != (short) b) {
                return true;
            }
        }
        return false;
    }

    /** Whether some pixel of the block ended at 0 or 255 from a value it did not start at. */
    private static boolean clamps(byte[] before, byte[] after, int d) {
        for (int r = 0; r < 4; r++) {
            for (int c = 0; c < 4; c++) {
                int i = d + r * BPS + c;
                int p = after[i] & 0xff;
                if ((p == 0 || p == 255) && after[i] != before[i]) {
                    return true;
                }
            }
        }
        return false;
    }
}

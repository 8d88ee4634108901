package dev.mobilenet.image.webp;

import static dev.mobilenet.image.webp.Vp8Decoder.BPS;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mobilenet.testing.TwinTest;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link VectorVp8Idct} writes exactly the bytes {@link ScalarVp8Idct} writes: seeded macroblocks of 16 luma or 4
 * chroma blocks, each block full, DC-only or untouched at random, with coefficients from the sparse, small ones of
 * real pictures to the full 16-bit range (where libwebp's intermediates wrap around), over seeded prediction pixels
 * from flat to every byte value, at every column of a work area's row where the blocks fit.
 */
class Vp8IdctTwinTest extends TwinTest {
    private static final int[] RANGES = {2, 16, 128, 1024, 2048, 8192, 32768};

    Vp8IdctTwinTest() {
        super(20261201L, 1f);
    }

    @Test
    void vectorTransformsEqualScalar() {
        VectorVp8Idct vector = new VectorVp8Idct();
        Random rnd = new Random(14);
        short[] in = new short[16 * 16 + 40];
        int fullBlocks = 0;
        int dcBlocks = 0;
        int wrapped = 0;
        int clamped = 0;
        for (int i = 0; i < 40_000; i++) {
            int log2Columns = i % 3 == 0 ? 1 : 2;
            int blocks = log2Columns == 1 ? 4 : 16;
            int full = 0;
            int dc = 0;
            for (int n = 0; n < blocks; n++) {
                int kind = rnd.nextInt(3);
                full |= kind == 1 ? 1 << (31 - 2 * n) : 0;
                dc |= kind == 2 ? 1 << (31 - 2 * n) : 0;
            }
            int off = rnd.nextInt(in.length - 16 * blocks + 1);
            int range = RANGES[i % RANGES.length];
            boolean sparse = rnd.nextInt(3) == 0;
            for (int k = 0; k < 16 * blocks; k++) {
                in[off + k] = !sparse || rnd.nextInt(4) == 0 ? (short) (rnd.nextInt(2 * range) - range) : 0;
            }
            if (i % 97 == 0) {
                for (int k = 0; k < 16 * blocks; k++) {
                    in[off + k] = rnd.nextBoolean() ? Short.MIN_VALUE : Short.MAX_VALUE;
                }
            }
            byte[] s = WebpFixtures.plane(rnd, BPS * 20, WebpFixtures.spread(i));
            byte[] v = s.clone();
            byte[] before = s.clone();
            int width = 4 << log2Columns;
            int d = BPS + rnd.nextInt(BPS - width + 1);
            ScalarVp8Idct.INSTANCE.transforms(full, dc, log2Columns, in, off, s, d);
            vector.transforms(full, dc, log2Columns, in, off, v, d);
            assertArrayEquals(s, v, "case " + i + ", range " + range + ", log2Columns " + log2Columns);
            fullBlocks += Integer.bitCount(full);
            dcBlocks += Integer.bitCount(dc);
            wrapped += wraps(full, in, off) ? 1 : 0;
            clamped += clamps(before, s, d, width, 4 * blocks / (width / 4)) ? 1 : 0;
        }
        assertTrue(fullBlocks > 100_000 && dcBlocks > 100_000, fullBlocks + " full, " + dcBlocks + " DC-only blocks");
        assertTrue(wrapped > 3_000, wrapped + " cases wrapped an intermediate");
        assertTrue(clamped > 10_000, clamped + " cases clamped a pixel");
    }

    /** Whether libwebp's first pass leaves 16 bits on a full block (a sum of two inputs alone can). */
    private static boolean wraps(int full, short[] in, int off) {
        for (int m = full; m != 0; m &= m - 1) {
            int o = off + 16 * ((31 - Integer.numberOfTrailingZeros(m)) >> 1);
            for (int k = 0; k < 4; k++) {
                int a = in[o + k] + in[o + 8 + k];
                int b = in[o + k] - in[o + 8 + k];
                if (a != (short) a || b != (short) b) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Whether some pixel of the area ended at 0 or 255 from a value it did not start at. */
    private static boolean clamps(byte[] before, byte[] after, int d, int width, int height) {
        for (int r = 0; r < height; r++) {
            for (int c = 0; c < width; c++) {
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

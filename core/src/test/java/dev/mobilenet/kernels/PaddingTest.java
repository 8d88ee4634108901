package dev.mobilenet.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mobilenet.nn.Padding;
import org.junit.jupiter.api.Test;

/** TF "SAME" padding: output ceil(in / stride), odd pixel of padding at the bottom/right. */
class PaddingTest {
    @Test
    void sameMatchesTensorFlowRule() {
        for (int k : new int[] {1, 2, 3, 5}) {
            for (int s : new int[] {1, 2}) {
                for (int in = 1; in < 40; in++) {
                    Padding p = Padding.tfSame(k, s, 1);
                    int out = (in + s - 1) / s;
                    int total = Math.max((out - 1) * s + k - in, 0);
                    assertEquals(out, p.outSize(in, k, s, 1), "out k=" + k + " s=" + s + " in=" + in);
                    assertEquals(total / 2, p.before(in, k, s, 1));
                    assertEquals(total - total / 2, p.after(in, k, s, 1));
                }
            }
        }
    }

    @Test
    void pytorchPaddingIsTimmGetPadding() {
        assertEquals(1, Padding.pytorch(3, 2, 1).pad());
        assertEquals(2, Padding.pytorch(5, 2, 1).pad());
        assertEquals(0, Padding.pytorch(1, 1, 1).pad());
        assertEquals(97, Padding.pytorch(3, 2, 1).outSize(193, 3, 2, 1));
        assertEquals(86, Padding.pytorch(3, 2, 1).outSize(171, 3, 2, 1));
    }
}

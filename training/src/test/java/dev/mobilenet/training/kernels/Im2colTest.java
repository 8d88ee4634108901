package dev.mobilenet.training.kernels;

import dev.mobilenet.kernels.ScalarKernels;
import dev.mobilenet.nn.Padding;
import dev.mobilenet.testing.Golden;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The training engine's im2col, then a point-wise product, is the CHW reference convolution. */
class Im2colTest {
    private final Random rng = new Random(12);

    private float[] rand(int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) rng.nextGaussian();
        }
        return a;
    }

    @Test
    void im2colThenPointwiseIsTheConvolution() {
        for (int k : new int[] {1, 3, 5}) {
            for (int stride : new int[] {1, 2}) {
                for (boolean same : new boolean[] {false, true}) {
                    for (int[] hw : new int[][] {{7, 5}, {32, 17}, {1, 9}}) {
                        int cin = 3;
                        int cout = 5;
                        Padding p = same ? Padding.tfSame(k, stride, 1) : Padding.pytorch(k, stride, 1);
                        int h = hw[0];
                        int wd = hw[1];
                        int oh = p.outSize(h, k, stride, 1);
                        int ow = p.outSize(wd, k, stride, 1);
                        int pt = p.before(h, k, stride, 1);
                        int pl = p.before(wd, k, stride, 1);
                        float[] in = rand(cin * h * wd);
                        float[] w = rand(cout * cin * k * k);
                        float[] b = rand(cout);
                        float[] ref = new float[cout * oh * ow];
                        ScalarKernels.convForward(ref, 0, in, 0, w, b, cin, cout, 1, h, wd, k, stride, 1, pt, pl,
                                oh, ow);
                        float[] cols = new float[cin * k * k * oh * ow];
                        TrainKernels.im2col(cols, in, 0, cin, h, wd, k, stride, 1, pt, pl, oh, ow);
                        float[] got = new float[ref.length];
                        ScalarKernels.pointwiseForward(got, 0, cols, 0, w, b, cin * k * k, cout, oh * ow);
                        Golden.assertClose(String.format("im2col k=%d s=%d %dx%d pad=%s", k, stride, h, wd,
                                p.describe()), ref, got, 2e-6);
                    }
                }
            }
        }
    }
}

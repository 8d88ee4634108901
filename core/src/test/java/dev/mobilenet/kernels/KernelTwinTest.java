package dev.mobilenet.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.mobilenet.nn.Padding;
import dev.mobilenet.testing.Golden;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Each specialised kernel against the general convolution, and each Vector API kernel against its scalar twin,
 * swept over shapes, strides, dilations and paddings (symmetric and TF-SAME asymmetric).
 */
class KernelTwinTest extends NhwcTwins {
    KernelTwinTest() {
        super(12L, 1f);
    }

    @Test
    void pointwiseMatchesGeneralConvAndVectorTwin() {
        for (int cin : new int[] {1, 3, 8, 19}) {
            for (int cout : new int[] {1, 4, 7, 16}) {
                for (int hw : new int[] {1, 5, 8, 17, 64, 197}) {
                    float[] in = rand(cin * hw);
                    float[] w = rand(cout * cin);
                    float[] b = rand(cout);
                    float[] ref = new float[cout * hw];
                    ScalarKernels.convForward(ref, 0, in, 0, w, b, cin, cout, 1, 1, hw, 1, 1, 1, 0, 0, 1, hw);
                    float[] s = new float[cout * hw];
                    ScalarKernels.pointwiseForward(s, 0, in, 0, w, b, cin, cout, hw);
                    String what = "pointwise cin=" + cin + " cout=" + cout + " hw=" + hw;
                    Golden.assertClose(what + " scalar", ref, s, RTOL);
                }
            }
        }
    }

    @Test
    void depthwiseMatchesGeneralConvAndVectorTwin() {
        for (int k : new int[] {1, 3, 5, 7}) {
            for (int stride : new int[] {1, 2}) {
                for (int dil : new int[] {1, 2}) {
                    for (boolean same : new boolean[] {false, true}) {
                        for (int h : new int[] {1, 2, 7, 12, 33}) {
                            for (int wd : new int[] {1, 2, 3, 8, 9, 17, 40, 57}) {
                                checkDepthwise(3, h, wd, k, stride, dil, same);
                            }
                        }
                    }
                }
            }
        }
    }

    private void checkDepthwise(int c, int h, int wd, int k, int stride, int dil, boolean same) {
        Padding p = same ? Padding.tfSame(k, stride, dil) : Padding.pytorch(k, stride, dil);
        int oh = p.outSize(h, k, stride, dil);
        int ow = p.outSize(wd, k, stride, dil);
        if (oh <= 0 || ow <= 0) {
            return;
        }
        int pt = p.before(h, k, stride, dil);
        int pl = p.before(wd, k, stride, dil);
        float[] in = rand(c * h * wd);
        float[] w = rand(c * k * k);
        float[] b = rand(c);
        float[] ref = new float[c * oh * ow];
        ScalarKernels.convForward(ref, 0, in, 0, w, b, c, c, c, h, wd, k, stride, dil, pt, pl, oh, ow);
        float[] s = new float[ref.length];
        float[] scratch = new float[0];
        ScalarKernels.depthwiseForward(s, 0, in, 0, w, b, c, h, wd, k, stride, dil, pt, pl, oh, ow, scratch);
        String what = String.format("depthwise h=%d w=%d k=%d s=%d d=%d pad=%s", h, wd, k, stride, dil,
                p.describe());
        Golden.assertClose(what + " scalar", ref, s, RTOL);
    }

    @ParameterizedTest(name = "cin={0} cout={1} groups={2} {3}x{4} k={5} s={6} pad={7}")
    @CsvSource({
        "4, 6, 2, 9, 7, 3, 2, 1",
        "6, 6, 3, 8, 8, 3, 1, 1",
        "3, 8, 1, 6, 11, 5, 2, 2",
        "8, 4, 4, 7, 5, 1, 1, 0",
        "2, 2, 2, 5, 4, 3, 3, 0",
    })
    void generalConvWithGroupsMatchesNaiveDefinition(int cin, int cout, int groups, int h, int wd, int k,
                                                     int stride, int pad) {
        int oh = (h + 2 * pad - k) / stride + 1;
        int ow = (wd + 2 * pad - k) / stride + 1;
        int cig = cin / groups;
        float[] in = rand(cin * h * wd);
        float[] w = rand(cout * cig * k * k);
        float[] out = new float[cout * oh * ow];
        ScalarKernels.convForward(out, 0, in, 0, w, null, cin, cout, groups, h, wd, k, stride, 1, pad, pad, oh, ow);
        float[] ref = new float[out.length];
        for (int co = 0; co < cout; co++) {
            int g = co / (cout / groups);
            for (int oy = 0; oy < oh; oy++) {
                for (int ox = 0; ox < ow; ox++) {
                    double acc = 0;
                    for (int ci = 0; ci < cig; ci++) {
                        for (int ky = 0; ky < k; ky++) {
                            for (int kx = 0; kx < k; kx++) {
                                int iy = oy * stride - pad + ky;
                                int ix = ox * stride - pad + kx;
                                if (iy >= 0 && iy < h && ix >= 0 && ix < wd) {
                                    acc += w[((co * cig + ci) * k + ky) * k + kx]
                                            * in[((g * cig + ci) * h + iy) * wd + ix];
                                }
                            }
                        }
                    }
                    ref[(co * oh + oy) * ow + ox] = (float) acc;
                }
            }
        }
        Golden.assertClose("grouped conv", ref, out, RTOL);
    }

    @Test
    void elementwiseVectorTwins() {
        for (int n : new int[] {1, 7, 8, 9, 31, 100, 1283}) {
            for (Activation act : Activation.values()) {
                float[] x = rand(n);
                for (int i = 0; i < n; i++) {
                    x[i] *= 5; // reach the clamps of relu6 and the hard functions
                }
                float[] s = x.clone();
                float[] v = x.clone();
                scalar.activation(s, 0, n, act);
                vector.activation(v, 0, n, act);
                Golden.assertClose(act + " n=" + n, s, v, 1e-7);
            }
            float[] a = rand(n);
            float[] bb = rand(n);
            float[] s = a.clone();
            float[] v = a.clone();
            scalar.add(s, 0, bb, 0, n);
            vector.add(v, 0, bb, 0, n);
            Golden.assertClose("add n=" + n, s, v, 0);
        }
        for (int c : new int[] {1, 5, 16}) {
            for (int hw : new int[] {1, 9, 49, 3136}) {
                float[] x = rand(c * hw);
                float[] g = rand(c);
                float[] s = x.clone();
                ScalarKernels.channelScaleForward(s, 0, g, 0, c, hw);
                for (int i = 0; i < s.length; i++) {
                    Golden.assertClose("scale c=" + c + " hw=" + hw, new float[] {x[i] * g[i / hw]},
                            new float[] {s[i]}, 0);
                }
                float[] pooled = new float[c];
                ScalarKernels.globalAvgPoolForward(pooled, 0, x, 0, c, hw);
                for (int ch = 0; ch < c; ch++) {
                    double m = 0;
                    for (int p = 0; p < hw; p++) {
                        m += x[ch * hw + p];
                    }
                    Golden.assertClose("pool", new float[] {(float) (m / hw)}, new float[] {pooled[ch]}, 1e-6);
                }
            }
        }
        for (int in : new int[] {1, 8, 13, 960, 1280}) {
            for (int out : new int[] {1, 3, 10}) {
                float[] x = rand(in);
                float[] w = rand(in * out);
                float[] b = rand(out);
                float[] s = new float[out];
                float[] v = new float[out];
                scalar.matvec(s, 0, x, 0, w, b, in, 0, out);
                vector.matvec(v, 0, x, 0, w, b, in, 0, out);
                Golden.assertClose("matvec in=" + in + " out=" + out, s, v, 1e-5);
                // Rows computed in two ranges are the same bits as in one (how threads split a layer's rows).
                float[] split = new float[out];
                vector.matvec(split, 0, x, 0, w, b, in, 0, out / 2);
                vector.matvec(split, 0, x, 0, w, b, in, out / 2, out);
                assertArrayEquals(v, split, "matvec rows split at " + out / 2);
            }
        }
    }
}

package dev.mobilenet.kernels;


import dev.mobilenet.nn.Padding;
import dev.mobilenet.testing.Golden;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The engine's HWC kernels: each scalar kernel against the CHW reference convolution ({@link ScalarKernels}), and
 * each Vector API kernel against its scalar twin, swept over channels, pixel ranges, kernel sizes, strides,
 * dilations, paddings (symmetric and TF-SAME), activations and padded row strides.
 */
class NhwcTwinTest extends NhwcTwins {
    NhwcTwinTest() {
        super(7L, 2f);
    }



    private static int pad(int c) {
        int l = VectorNhwc.lanes();
        return (c + l - 1) / l * l;
    }

    /** CHW [c][hw] to HWC rows of stride ld (padding zero). */
    private static float[] toHwc(float[] chw, int c, int hw, int ld) {
        float[] out = new float[hw * ld + 1];
        for (int ch = 0; ch < c; ch++) {
            for (int p = 0; p < hw; p++) {
                out[p * ld + ch] = chw[ch * hw + p];
            }
        }
        return out;
    }

    /** The real channels of HWC rows p0..p1, as CHW [c][p1-p0]. */
    private static float[] toChw(float[] hwc, int c, int p0, int p1, int ld) {
        int n = p1 - p0;
        float[] out = new float[c * n];
        for (int ch = 0; ch < c; ch++) {
            for (int p = p0; p < p1; p++) {
                out[ch * n + p - p0] = hwc[p * ld + ch];
            }
        }
        return out;
    }

    private static float[] rows(float[] chw, int c, int hw, int p0, int p1) {
        float[] out = new float[c * (p1 - p0)];
        for (int ch = 0; ch < c; ch++) {
            System.arraycopy(chw, ch * hw + p0, out, ch * (p1 - p0), p1 - p0);
        }
        return out;
    }

    @Test
    void pointwise() {
        Activation[] acts = Activation.values();
        int variant = 0;
        for (int cin : new int[] {1, 3, 8, 19, 64}) {
            for (int cout : new int[] {1, 7, 8, 16, 24, 33}) {
                for (int hw : new int[] {1, 3, 4, 6, 7, 8, 13, 19, 50}) {
                    Activation act = acts[variant % acts.length];
                    boolean residual = variant++ % 2 == 0;
                    int ldi = pad(cin) + (variant % 3 == 0 ? pad(1) : 0);
                    int ldo = pad(cout);
                    float[] x = rand(cin * hw);
                    float[] wOi = rand(cout * cin);
                    float[] b = rand(cout);
                    float[] r = rand(cout * hw);
                    float[] ref = new float[cout * hw];
                    ScalarKernels.pointwiseForward(ref, 0, x, 0, wOi, b, cin, cout, hw);
                    scalar.activation(ref, 0, ref.length, act);
                    if (residual) {
                        scalar.add(ref, 0, r, 0, ref.length);
                    }
                    int panel = 2 * VectorNhwc.lanes();
                    float[] w = ScalarNhwc.packPointwise(wOi, cin, cout, panel);
                    float[] bp = Arrays.copyOf(b, ldo);
                    float[] in = toHwc(x, cin, hw, ldi);
                    float[] res = residual ? toHwc(r, cout, hw, ldo) : null;
                    int p0 = hw > 5 ? 2 : 0;
                    String what = String.format("pointwise cin=%d cout=%d hw=%d p0=%d act=%s res=%b", cin, cout, hw,
                            p0, act, residual);
                    float[] s = new float[hw * ldo + 3];
                    scalar.pointwise(s, 3, ldo, in, 0, ldi, w, panel, bp, act, res, 0, ldo, cin, cout, p0, hw);
                    float[] s2 = Arrays.copyOfRange(s, 3, s.length);
                    Golden.assertClose(what + " scalar", rows(ref, cout, hw, p0, hw), toChw(s2, cout, p0, hw, ldo),
                            RTOL);
                    float[] v = new float[hw * ldo + 3];
                    int p1 = Math.max(p0, hw - 1);
                    Arrays.fill(v, Float.NaN);
                    vector.pointwise(v, 3, ldo, in, 0, ldi, w, panel, bp, act, res, 0, ldo, cin, cout, p0, p1);
                    for (int i = 0; i < v.length; i++) {
                        int row = (i - 3) / ldo;
                        if (i < 3 + p0 * ldo || i >= 3 + p1 * ldo) {
                            org.junit.jupiter.api.Assertions.assertTrue(Float.isNaN(v[i]),
                                    what + ": wrote outside its pixel range at row " + row);
                        }
                    }
                    vector.pointwise(v, 3, ldo, in, 0, ldi, w, panel, bp, act, res, 0, ldo, cin, cout, p1, hw);
                    float[] v2 = Arrays.copyOfRange(v, 3, v.length);
                    Golden.assertClose(what + " vector", toChw(s2, cout, p0, hw, ldo), toChw(v2, cout, p0, hw, ldo),
                            RTOL);
                }
            }
        }
    }

    @Test
    void depthwise() {
        int variant = 0;
        for (int k : new int[] {1, 3, 5, 7}) {
            for (int stride : new int[] {1, 2, 3}) {
                for (int dil : new int[] {1, 2}) {
                    for (boolean same : new boolean[] {false, true}) {
                        for (int h : new int[] {1, 2, 7, 12}) {
                            for (int wd : new int[] {1, 3, 8, 9, 17, 40}) {
                                int c = new int[] {3, 8, 20, 40, 72}[variant % 5];
                                Activation act = Activation.values()[variant++ % Activation.values().length];
                                checkDepthwise(c, h, wd, k, stride, dil, same, act);
                            }
                        }
                    }
                }
            }
        }
    }

    private void checkDepthwise(int c, int h, int wd, int k, int stride, int dil, boolean same, Activation act) {
        Padding p = same ? Padding.tfSame(k, stride, dil) : Padding.pytorch(k, stride, dil);
        int oh = p.outSize(h, k, stride, dil);
        int ow = p.outSize(wd, k, stride, dil);
        if (oh <= 0 || ow <= 0) {
            return;
        }
        ConvGeom g = new ConvGeom(h, wd, k, stride, dil, p.before(h, k, stride, dil), p.before(wd, k, stride, dil),
                oh, ow);
        int ld = pad(c);
        float[] x = rand(c * h * wd);
        float[] wCk = rand(c * k * k);
        float[] b = rand(c);
        float[] ref = new float[c * oh * ow];
        ScalarKernels.convForward(ref, 0, x, 0, wCk, b, c, c, c, h, wd, k, stride, dil, g.padTop(), g.padLeft(), oh,
                ow);
        scalar.activation(ref, 0, ref.length, act);
        float[] w = new float[k * k * ld];
        for (int ch = 0; ch < c; ch++) {
            for (int t = 0; t < k * k; t++) {
                w[t * ld + ch] = wCk[ch * k * k + t];
            }
        }
        float[] bp = Arrays.copyOf(b, ld);
        float[] in = toHwc(x, c, h * wd, ld);
        String what = String.format("depthwise c=%d %dx%d k=%d s=%d d=%d pad=%s act=%s", c, h, wd, k, stride, dil,
                p.describe(), act);
        float[] s = new float[oh * ow * ld];
        scalar.depthwise(s, 0, ld, in, 0, ld, w, ld, bp, act, c, g, 0, oh);
        Golden.assertClose(what + " scalar", ref, toChw(s, c, 0, oh * ow, ld), RTOL);
        float[] v = new float[oh * ow * ld];
        int split = oh / 2;
        vector.depthwise(v, 0, ld, in, 0, ld, w, ld, bp, act, c, g, 0, split);
        vector.depthwise(v, 0, ld, in, 0, ld, w, ld, bp, act, c, g, split, oh);
        Golden.assertClose(what + " vector", toChw(s, c, 0, oh * ow, ld), toChw(v, c, 0, oh * ow, ld), RTOL);
    }

    @Test
    void stemFromChw() {
        for (int k : new int[] {1, 3, 5}) {
            for (int stride : new int[] {1, 2}) {
                for (boolean same : new boolean[] {false, true}) {
                    for (int cout : new int[] {5, 16, 40}) {
                        for (int[] hw : new int[][] {{7, 5}, {32, 17}, {1, 9}}) {
                            for (int cin : new int[] {1, 3, 4}) {
                                checkStem(cin, cout, hw[0], hw[1], k, stride, same);
                            }
                        }
                    }
                }
            }
        }
    }

    private void checkStem(int cin, int cout, int h, int wd, int k, int stride, boolean same) {
        Padding p = same ? Padding.tfSame(k, stride, 1) : Padding.pytorch(k, stride, 1);
        int oh = p.outSize(h, k, stride, 1);
        int ow = p.outSize(wd, k, stride, 1);
        if (oh <= 0 || ow <= 0) {
            return;
        }
        ConvGeom g = new ConvGeom(h, wd, k, stride, 1, p.before(h, k, stride, 1), p.before(wd, k, stride, 1), oh, ow);
        int ld = pad(cout);
        float[] x = rand(cin * h * wd);
        float[] wOihw = rand(cout * cin * k * k);
        float[] b = rand(cout);
        float[] ref = new float[cout * oh * ow];
        ScalarKernels.convForward(ref, 0, x, 0, wOihw, b, cin, cout, 1, h, wd, k, stride, 1, g.padTop(),
                g.padLeft(), oh, ow);
        scalar.activation(ref, 0, ref.length, Activation.HARD_SWISH);
        float[] w = new float[k * k * cin * ld];
        for (int o = 0; o < cout; o++) {
            for (int i = 0; i < cin; i++) {
                for (int t = 0; t < k * k; t++) {
                    w[(t * cin + i) * ld + o] = wOihw[(o * cin + i) * k * k + t];
                }
            }
        }
        float[] bp = Arrays.copyOf(b, ld);
        String what = String.format("stem cout=%d %dx%d k=%d s=%d pad=%s", cout, h, wd, k, stride, p.describe());
        float[] s = new float[oh * ow * ld];
        scalar.convFromChw(s, 0, ld, x, 0, w, ld, bp, Activation.HARD_SWISH, cin, cout, g, 0, oh);
        Golden.assertClose(what + " scalar", ref, toChw(s, cout, 0, oh * ow, ld), RTOL);
        float[] v = new float[oh * ow * ld];
        vector.convFromChw(v, 0, ld, x, 0, w, ld, bp, Activation.HARD_SWISH, cin, cout, g, 0, oh);
        Golden.assertClose(what + " vector", toChw(s, cout, 0, oh * ow, ld), toChw(v, cout, 0, oh * ow, ld), RTOL);
    }

    @Test
    void groupedConvMatchesChwReference() {
        for (int groups : new int[] {1, 2, 6}) {
            int cin = 6;
            int cout = 12;
            int h = 9;
            int wd = 7;
            Padding p = Padding.tfSame(3, 2, 1);
            ConvGeom g = new ConvGeom(h, wd, 3, 2, 1, p.before(h, 3, 2, 1), p.before(wd, 3, 2, 1),
                    p.outSize(h, 3, 2, 1), p.outSize(wd, 3, 2, 1));
            float[] x = rand(cin * h * wd);
            float[] w = rand(cout * (cin / groups) * 9);
            float[] b = rand(cout);
            float[] ref = new float[cout * g.oh() * g.ow()];
            ScalarKernels.convForward(ref, 0, x, 0, w, b, cin, cout, groups, h, wd, 3, 2, 1, g.padTop(), g.padLeft(),
                    g.oh(), g.ow());
            scalar.activation(ref, 0, ref.length, Activation.RELU6);
            int ldi = pad(cin);
            int ldo = pad(cout);
            float[] out = new float[g.oh() * g.ow() * ldo];
            scalar.conv(out, 0, ldo, toHwc(x, cin, h * wd, ldi), 0, ldi, w, Arrays.copyOf(b, ldo),
                    Activation.RELU6, cin, cout, groups, g, 0, g.oh());
            Golden.assertClose("grouped conv groups=" + groups, ref, toChw(out, cout, 0, g.oh() * g.ow(), ldo), RTOL);
        }
    }

    @Test
    void poolAndChannelScale() {
        for (int c : new int[] {1, 8, 13, 40}) {
            for (int hw : new int[] {1, 7, 49, 196}) {
                int ld = pad(c);
                float[] x = rand(c * hw);
                float[] in = toHwc(x, c, hw, ld);
                float[] ref = new float[c];
                ScalarKernels.globalAvgPoolForward(ref, 0, x, 0, c, hw);
                float[] s = new float[ld];
                scalar.globalAvgPool(s, 0, in, 0, ld, c, hw);
                Golden.assertClose("pool c=" + c + " hw=" + hw + " scalar", ref, Arrays.copyOf(s, c), RTOL);
                float[] v = new float[ld];
                vector.globalAvgPool(v, 0, in, 0, ld, c, hw);
                Golden.assertClose("pool c=" + c + " hw=" + hw + " vector", Arrays.copyOf(s, c), Arrays.copyOf(v, c),
                        0);
                float[] gate = Arrays.copyOf(rand(c), ld);
                float[] a = in.clone();
                float[] bb = in.clone();
                scalar.channelScale(a, 0, ld, gate, 0, c, hw);
                vector.channelScale(bb, 0, ld, gate, 0, c, hw);
                float[] refScaled = x.clone();
                ScalarKernels.channelScaleForward(refScaled, 0, gate, 0, c, hw);
                Golden.assertClose("scale scalar", refScaled, toChw(a, c, 0, hw, ld), 0);
                Golden.assertClose("scale vector", refScaled, toChw(bb, c, 0, hw, ld), 0);
            }
        }
    }
}

package dev.mobilenet.training.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mobilenet.kernels.Activation;
import dev.mobilenet.training.kernels.TrainKernels;
import dev.mobilenet.nn.Conv2d;
import dev.mobilenet.nn.Padding;
import dev.mobilenet.testing.Golden;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Finite-difference gradient checks in double precision on the reference layers ({@link Ref64}), and the float
 * training path (the Graph's conv, the BatchNorm and activation kernels, the loss) against those references.
 */
class GradCheckTest {
    private static final double FD_RTOL = 1e-6;
    private static final double FLOAT_RTOL = 1e-5;

    private static double[] rand(SplittableRandom r, int n, double scale) {
        double[] a = new double[n];
        for (int i = 0; i < n; i++) {
            a[i] = (r.nextDouble() * 2 - 1) * scale;
        }
        return a;
    }

    private static float[] f(double[] a) {
        float[] o = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            o[i] = (float) a[i];
        }
        return o;
    }

    private static double[] d(float[] a) {
        double[] o = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            o[i] = a[i];
        }
        return o;
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    /** Central differences of objective() with respect to every element of v, compared with analytic. */
    private static void fdCheck(String what, double[] v, double[] analytic, java.util.function.DoubleSupplier obj) {
        double h = 1e-6;
        double maxDiff = 0;
        double maxRef = 0;
        for (int i = 0; i < v.length; i++) {
            double orig = v[i];
            v[i] = orig + h;
            double lp = obj.getAsDouble();
            v[i] = orig - h;
            double lm = obj.getAsDouble();
            v[i] = orig;
            double num = (lp - lm) / (2 * h);
            maxDiff = Math.max(maxDiff, Math.abs(num - analytic[i]));
            maxRef = Math.max(maxRef, Math.abs(num));
        }
        double rel = maxDiff / Math.max(maxRef, 1e-12);
        assertTrue(rel < FD_RTOL, String.format(Locale.ROOT, "%s: finite differences differ by %.3g", what, rel));
    }

    @Test
    void convolutionSweep() {
        SplittableRandom r = new SplittableRandom(1);
        int cases = 0;
        for (int k : new int[] {1, 3, 5}) {
            for (int stride : new int[] {1, 2}) {
                for (boolean depthwise : new boolean[] {false, true}) {
                    for (boolean same : new boolean[] {false, true}) {
                        for (int[] hw : new int[][] {{7, 6}, {5, 9}}) {
                            int cin = depthwise ? 4 : 3;
                            int cout = depthwise ? 4 : 5;
                            int groups = depthwise ? 4 : 1;
                            checkConv(r, 2, cin, hw[0], hw[1], cout, k, stride, groups, same, k == 1 && stride == 1);
                            cases++;
                        }
                    }
                }
            }
        }
        checkConv(r, 2, 6, 5, 5, 4, 3, 1, 2, false, false);
        checkConv(r, 1, 4, 6, 7, 6, 1, 1, 1, false, true);
        assertEquals(48, cases);
    }

    private static void checkConv(SplittableRandom r, int n, int cin, int h, int w, int cout, int k, int stride,
                                  int groups, boolean same, boolean bias) {
        Padding pad = same ? Padding.tfSame(k, stride, 1) : Padding.pytorch(k, stride, 1);
        Conv2d conv = new Conv2d(cin, cout, k, stride, 1, groups, pad, bias);
        int oh = conv.outSize(h);
        int ow = conv.outSize(w);
        int padTop = pad.before(h, k, stride, 1);
        int padLeft = pad.before(w, k, stride, 1);
        Ref64.Conv g = new Ref64.Conv(n, cin, h, w, cout, k, stride, 1, groups, padTop, padLeft, oh, ow);
        String what = String.format(Locale.ROOT, "conv k%d s%d g%d %s %dx%d", k, stride, groups,
                pad.describe(), h, w);
        double[] x = rand(r, n * cin * h * w, 1);
        double[] wt = rand(r, g.wsize(), 0.5);
        double[] b = bias ? rand(r, cout, 0.2) : null;
        double[] proj = rand(r, n * cout * oh * ow, 1);
        double[] dx = new double[x.length];
        double[] dw = new double[wt.length];
        double[] db = bias ? new double[cout] : null;
        Ref64.convBackward(g, x, wt, proj, dx, dw, db);
        fdCheck(what + " dx", x, dx, () -> dot(proj, Ref64.convForward(g, x, wt, b)));
        fdCheck(what + " dw", wt, dw, () -> dot(proj, Ref64.convForward(g, x, wt, b)));
        if (bias) {
            fdCheck(what + " db", b, db, () -> dot(proj, Ref64.convForward(g, x, wt, b)));
        }

        System.arraycopy(f(wt), 0, conv.weight, 0, conv.weight.length);
        if (bias) {
            System.arraycopy(f(b), 0, conv.bias, 0, cout);
        }
        float[] col = new float[(int) Math.max(1, Graph.convScratch(conv, oh, ow))];
        float[] dcol = new float[col.length];
        float[] yf = new float[n * cout * oh * ow];
        Graph.convForward(conv, n, f(x), h, w, yf, oh, ow, padTop, padLeft, col);
        Golden.assertClose(what + " float forward", f(Ref64.convForward(g, x, wt, b)), yf, FLOAT_RTOL);
        float[] dxf = new float[x.length];
        float[] dwf = new float[wt.length];
        float[] dbf = bias ? new float[cout] : null;
        Graph.convBackward(conv, n, f(x), h, w, dxf, f(proj), oh, ow, padTop, padLeft, dwf, dbf, col, dcol);
        Golden.assertClose(what + " float dx", f(dx), dxf, FLOAT_RTOL);
        Golden.assertClose(what + " float dw", f(dw), dwf, FLOAT_RTOL);
        if (bias) {
            Golden.assertClose(what + " float db", f(db), dbf, FLOAT_RTOL);
        }
    }

    @Test
    void batchNormTrainMode() {
        SplittableRandom r = new SplittableRandom(2);
        int n = 3;
        int c = 4;
        int hw = 5;
        double eps = 1e-3;
        double[] x = rand(r, n * c * hw, 2);
        for (int i = 0; i < x.length; i++) {
            x[i] += 0.7;
        }
        double[] gamma = rand(r, c, 1);
        double[] beta = rand(r, c, 1);
        double[] proj = rand(r, x.length, 1);
        double[] dx = new double[x.length];
        double[] dg = new double[c];
        double[] db = new double[c];
        Ref64.bnBackward(x, n, c, hw, gamma, eps, proj, dx, dg, db);
        fdCheck("bn dx", x, dx, () -> dot(proj, Ref64.bnForward(x, n, c, hw, gamma, beta, eps)));
        fdCheck("bn dgamma", gamma, dg, () -> dot(proj, Ref64.bnForward(x, n, c, hw, gamma, beta, eps)));
        fdCheck("bn dbeta", beta, db, () -> dot(proj, Ref64.bnForward(x, n, c, hw, gamma, beta, eps)));

        float[] mean = new float[c];
        float[] var = new float[c];
        float[] is = new float[c];
        float[] xf = f(x);
        TrainKernels.batchNormStats(mean, var, is, xf, n, c, hw, eps);
        float[] y = new float[x.length];
        TrainKernels.batchNormApply(y, xf, mean, is, f(gamma), f(beta), n, c, hw);
        Golden.assertClose("bn float forward", f(Ref64.bnForward(x, n, c, hw, gamma, beta, eps)), y, FLOAT_RTOL);
        float[] dxf = new float[x.length];
        float[] dgf = new float[c];
        float[] dbf = new float[c];
        TrainKernels.batchNormBackward(dxf, dgf, dbf, f(proj), xf, mean, is, f(gamma), n, c, hw);
        Golden.assertClose("bn float dx", f(dx), dxf, FLOAT_RTOL);
        Golden.assertClose("bn float dgamma", f(dg), dgf, FLOAT_RTOL);
        Golden.assertClose("bn float dbeta", f(db), dbf, FLOAT_RTOL);

        float[] rm = {0f, 0f, 0f, 0f};
        float[] rv = {1f, 1f, 1f, 1f};
        TrainKernels.batchNormRunning(rm, rv, mean, var, c, (long) n * hw, 0.1);
        for (int ch = 0; ch < c; ch++) {
            double[] mv = Ref64.meanVar(x, n, c, hw, ch);
            assertEquals(0.1 * mv[0], rm[ch], 1e-6, "running mean");
            assertEquals(0.9 + 0.1 * mv[1] * n * hw / (n * hw - 1), rv[ch], 1e-6, "running var is unbiased");
        }
    }

    @Test
    void activationsAwayFromKinks() {
        SplittableRandom r = new SplittableRandom(3);
        for (Activation a : Activation.values()) {
            double[] x = rand(r, 64, 8);
            for (int i = 0; i < x.length; i++) {
                for (double kink : new double[] {-3, 0, 3, 6}) {
                    if (Math.abs(x[i] - kink) < 1e-3) {
                        x[i] += 0.01;
                    }
                }
            }
            double[] proj = rand(r, x.length, 1);
            double[] g = new double[x.length];
            for (int i = 0; i < x.length; i++) {
                g[i] = proj[i] * Ref64.actGrad(a, x[i]);
            }
            Function<double[], double[]> fwd = v -> {
                double[] y = new double[v.length];
                for (int i = 0; i < v.length; i++) {
                    y[i] = Ref64.act(a, v[i]);
                }
                return y;
            };
            fdCheck(a + " grad", x, g, () -> dot(proj, fwd.apply(x)));
            float[] yf = new float[x.length];
            TrainKernels.activationForward(yf, f(x), x.length, a);
            Golden.assertClose(a + " float forward", f(fwd.apply(x)), yf, 1e-6);
            float[] gf = new float[x.length];
            TrainKernels.activationBackward(gf, f(proj), f(x), x.length, a);
            Golden.assertClose(a + " float backward", f(g), gf, 1e-6);
        }
    }

    /** torch: relu6 is hardtanh(0, 6) (gradient 0 at 0 and 6); hardswish_backward uses x/3 + 0.5 on [-3, 3]. */
    @Test
    void activationKinksFollowTorch() {
        float[] x = {-3f, 0f, 3f, 6f};
        assertArrayClose(new float[] {0, 0, 1, 1}, grads(x, Activation.RELU));
        assertArrayClose(new float[] {0, 0, 1, 0}, grads(x, Activation.RELU6));
        assertArrayClose(new float[] {-0.5f, 0.5f, 1.5f, 1}, grads(x, Activation.HARD_SWISH));
        assertArrayClose(new float[] {0, 1 / 6f, 0, 0}, grads(x, Activation.HARD_SIGMOID));
    }

    private static float[] grads(float[] x, Activation a) {
        float[] g = new float[x.length];
        float[] ones = {1, 1, 1, 1};
        TrainKernels.activationBackward(g, ones, x, x.length, a);
        return g;
    }

    private static void assertArrayClose(float[] e, float[] a) {
        for (int i = 0; i < e.length; i++) {
            assertEquals(e[i], a[i], 1e-7, "element " + i);
        }
    }

    @Test
    void squeezeExciteAndLinear() {
        SplittableRandom r = new SplittableRandom(4);
        int n = 2;
        int c = 6;
        int hw = 5;
        int cr = 3;
        for (Activation a : new Activation[] {Activation.RELU, Activation.HARD_SWISH}) {
            double[] x = rand(r, n * c * hw, 2);
            double[] wr = rand(r, cr * c, 1);
            double[] br = rand(r, cr, 0.5);
            double[] we = rand(r, c * cr, 1);
            double[] be = rand(r, c, 0.5);
            double[] proj = rand(r, x.length, 1);
            double[] dx = new double[x.length];
            double[] dwr = new double[wr.length];
            double[] dbr = new double[br.length];
            double[] dwe = new double[we.length];
            double[] dbe = new double[be.length];
            Ref64.seBackward(x, n, c, hw, cr, a, wr, br, we, be, proj, dx, dwr, dbr, dwe, dbe);
            java.util.function.DoubleSupplier obj = () -> dot(proj, Ref64.se(x, n, c, hw, cr, a, wr, br, we, be));
            fdCheck("se dx " + a, x, dx, obj);
            fdCheck("se dwr " + a, wr, dwr, obj);
            fdCheck("se dbr " + a, br, dbr, obj);
            fdCheck("se dwe " + a, we, dwe, obj);
            fdCheck("se dbe " + a, be, dbe, obj);
        }
        double[] x = rand(r, 3 * 7, 1);
        double[] w = rand(r, 4 * 7, 1);
        double[] b = rand(r, 4, 1);
        double[] proj = rand(r, 3 * 4, 1);
        double[] dx = new double[x.length];
        double[] dw = new double[w.length];
        double[] db = new double[b.length];
        Ref64.linearBackward(x, 3, 7, 4, w, proj, dx, dw, db);
        fdCheck("linear dx", x, dx, () -> dot(proj, Ref64.linear(x, 3, 7, 4, w, b)));
        fdCheck("linear dw", w, dw, () -> dot(proj, Ref64.linear(x, 3, 7, 4, w, b)));
        fdCheck("linear db", b, db, () -> dot(proj, Ref64.linear(x, 3, 7, 4, w, b)));
    }

    @Test
    void lossGradients() {
        SplittableRandom r = new SplittableRandom(5);
        int n = 3;
        int c = 5;
        float[] logits = f(rand(r, n * c, 3));
        int[] labels = {0, 4, 2};
        float[] targets = f(rand(r, n * c, 1));
        for (int i = 0; i < targets.length; i++) {
            targets[i] = Math.abs(targets[i]);
        }
        for (double smoothing : new double[] {0, 0.1}) {
            float[] g = new float[n * c];
            Loss.crossEntropy(g, logits, n, c, labels, smoothing);
            checkLossFd("ce smoothing " + smoothing, logits, g, () -> Loss.crossEntropy(null, logits, n, c, labels,
                    smoothing));
        }
        float[] g = new float[n * c];
        Loss.softTarget(g, logits, n, c, targets);
        checkLossFd("soft target", logits, g, () -> Loss.softTarget(null, logits, n, c, targets));
        float[] oneHot = new float[n * c];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < c; j++) {
                oneHot[i * c + j] = 0.1f / c + (j == labels[i] ? 0.9f : 0f);
            }
        }
        assertEquals(Loss.crossEntropy(null, logits, n, c, labels, 0.1), Loss.softTarget(null, logits, n, c, oneHot),
                1e-6, "label smoothing equals soft targets (1 - s) onehot + s / C");
    }

    private static void checkLossFd(String what, float[] logits, float[] g, java.util.function.DoubleSupplier obj) {
        double[] num = new double[logits.length];
        for (int i = 0; i < logits.length; i++) {
            float orig = logits[i];
            float h = 1e-2f;
            logits[i] = orig + h;
            double lp = obj.getAsDouble();
            logits[i] = orig - h;
            double lm = obj.getAsDouble();
            logits[i] = orig;
            num[i] = (lp - lm) / (2 * h);
        }
        Golden.assertClose(what + " gradient", f(num), g, 1e-4);
    }

    /** A whole inverted-residual block with SE and skip, composed from the double references. */
    @Test
    void wholeBlock() {
        SplittableRandom r = new SplittableRandom(6);
        int n = 2;
        int c = 3;
        int mid = 6;
        int h = 5;
        int w = 4;
        double eps = 1e-5;
        Ref64.Conv pw = new Ref64.Conv(n, c, h, w, mid, 1, 1, 1, 1, 0, 0, h, w);
        Ref64.Conv dw = new Ref64.Conv(n, mid, h, w, mid, 3, 1, 1, mid, 1, 1, h, w);
        Ref64.Conv pwl = new Ref64.Conv(n, mid, h, w, c, 1, 1, 1, 1, 0, 0, h, w);
        double[] x = rand(r, n * c * h * w, 1);
        double[] w1 = rand(r, pw.wsize(), 1);
        double[] w2 = rand(r, dw.wsize(), 1);
        double[] w3 = rand(r, pwl.wsize(), 1);
        double[] g1 = rand(r, mid, 1);
        double[] b1 = rand(r, mid, 0.5);
        double[] g2 = rand(r, mid, 1);
        double[] b2 = rand(r, mid, 0.5);
        double[] g3 = rand(r, c, 1);
        double[] b3 = rand(r, c, 0.5);
        double[] wr = rand(r, 2 * mid, 1);
        double[] br = rand(r, 2, 0.5);
        double[] we = rand(r, mid * 2, 1);
        double[] be = rand(r, mid, 0.5);
        double[] proj = rand(r, x.length, 1);
        int hw = h * w;
        Function<Void, double[][]> fwd = v -> {
            double[] a1 = Ref64.convForward(pw, x, w1, null);
            double[] p1 = Ref64.bnForward(a1, n, mid, hw, g1, b1, eps);
            double[] o1 = map(p1, Activation.HARD_SWISH);
            double[] a2 = Ref64.convForward(dw, o1, w2, null);
            double[] p2 = Ref64.bnForward(a2, n, mid, hw, g2, b2, eps);
            double[] o2 = map(p2, Activation.RELU);
            double[] s = Ref64.se(o2, n, mid, hw, 2, Activation.RELU, wr, br, we, be);
            double[] a3 = Ref64.convForward(pwl, s, w3, null);
            double[] p3 = Ref64.bnForward(a3, n, c, hw, g3, b3, eps);
            double[] y = new double[p3.length];
            for (int i = 0; i < y.length; i++) {
                y[i] = p3[i] + x[i];
            }
            return new double[][] {a1, p1, o1, a2, p2, o2, s, a3, y};
        };
        double[][] t = fwd.apply(null);
        double[] dy = proj;
        double[] da3 = new double[t[7].length];
        double[] dg3 = new double[c];
        double[] db3 = new double[c];
        Ref64.bnBackward(t[7], n, c, hw, g3, eps, dy, da3, dg3, db3);
        double[] ds = new double[t[6].length];
        double[] dw3 = new double[w3.length];
        Ref64.convBackward(pwl, t[6], w3, da3, ds, dw3, null);
        double[] do2 = new double[t[5].length];
        Ref64.seBackward(t[5], n, mid, hw, 2, Activation.RELU, wr, br, we, be, ds, do2, new double[wr.length],
                new double[br.length], new double[we.length], new double[be.length]);
        double[] dp2 = new double[do2.length];
        for (int i = 0; i < dp2.length; i++) {
            dp2[i] = do2[i] * Ref64.actGrad(Activation.RELU, t[4][i]);
        }
        double[] da2 = new double[dp2.length];
        double[] dg2 = new double[mid];
        Ref64.bnBackward(t[3], n, mid, hw, g2, eps, dp2, da2, dg2, new double[mid]);
        double[] do1 = new double[t[2].length];
        double[] dw2 = new double[w2.length];
        Ref64.convBackward(dw, t[2], w2, da2, do1, dw2, null);
        double[] dp1 = new double[do1.length];
        for (int i = 0; i < dp1.length; i++) {
            dp1[i] = do1[i] * Ref64.actGrad(Activation.HARD_SWISH, t[1][i]);
        }
        double[] da1 = new double[dp1.length];
        double[] dg1 = new double[mid];
        Ref64.bnBackward(t[0], n, mid, hw, g1, eps, dp1, da1, dg1, new double[mid]);
        double[] dx = dy.clone();
        double[] dw1 = new double[w1.length];
        Ref64.convBackward(pw, x, w1, da1, dx, dw1, null);
        java.util.function.DoubleSupplier obj = () -> dot(proj, fwd.apply(null)[8]);
        fdCheck("block dx", x, dx, obj);
        fdCheck("block dw1", w1, dw1, obj);
        fdCheck("block dw2", w2, dw2, obj);
        fdCheck("block dw3", w3, dw3, obj);
        fdCheck("block dgamma1", g1, dg1, obj);
        fdCheck("block dgamma2", g2, dg2, obj);
        fdCheck("block dgamma3", g3, dg3, obj);
    }

    private static double[] map(double[] v, Activation a) {
        double[] o = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            o[i] = Ref64.act(a, v[i]);
        }
        return o;
    }
}

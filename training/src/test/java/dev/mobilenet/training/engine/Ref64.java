package dev.mobilenet.training.engine;

import dev.mobilenet.kernels.Activation;

/**
 * Double-precision reference layers for the gradient checks: naive loops written independently of the float
 * kernels (direct convolution instead of im2col/GEMM), each with its analytic backward.
 */
final class Ref64 {
    private Ref64() {
    }

    /** A conv geometry on one [n][c][h][w] input; padding before/after may differ (TF SAME). */
    record Conv(int n, int cin, int h, int w, int cout, int k, int stride, int dil, int groups, int padTop,
                int padLeft, int oh, int ow) {
        int wsize() {
            return cout * (cin / groups) * k * k;
        }
    }

    /** One multiply-add of the convolution: output, input and weight index. */
    private interface Tap {
        void at(int yi, int xi, int wi);
    }

    /** Every in-bounds tap of the direct convolution, by output element, then input channel, ky, kx. */
    private static void forEachTap(Conv g, Tap tap) {
        int cig = g.cin() / g.groups();
        int cog = g.cout() / g.groups();
        for (int n = 0; n < g.n(); n++) {
            for (int co = 0; co < g.cout(); co++) {
                int grp = co / cog;
                for (int oy = 0; oy < g.oh(); oy++) {
                    for (int ox = 0; ox < g.ow(); ox++) {
                        int yi = ((n * g.cout() + co) * g.oh() + oy) * g.ow() + ox;
                        for (int c = 0; c < cig; c++) {
                            int ci = grp * cig + c;
                            for (int ky = 0; ky < g.k(); ky++) {
                                for (int kx = 0; kx < g.k(); kx++) {
                                    int iy = oy * g.stride() - g.padTop() + ky * g.dil();
                                    int ix = ox * g.stride() - g.padLeft() + kx * g.dil();
                                    if (iy >= 0 && iy < g.h() && ix >= 0 && ix < g.w()) {
                                        tap.at(yi, ((n * g.cin() + ci) * g.h() + iy) * g.w() + ix,
                                                ((co * cig + c) * g.k() + ky) * g.k() + kx);
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /** The output channel of element {@code i} of an [n][cout][oh][ow] array. */
    private static int outChannel(Conv g, int i) {
        return i / (g.oh() * g.ow()) % g.cout();
    }

    static double[] convForward(Conv g, double[] x, double[] wt, double[] bias) {
        double[] y = new double[g.n() * g.cout() * g.oh() * g.ow()];
        if (bias != null) {
            for (int i = 0; i < y.length; i++) {
                y[i] = bias[outChannel(g, i)];
            }
        }
        forEachTap(g, (yi, xi, wi) -> y[yi] += x[xi] * wt[wi]);
        return y;
    }

    /** Fills dx, dw, db (db may be null) from dy. */
    static void convBackward(Conv g, double[] x, double[] wt, double[] dy, double[] dx, double[] dw, double[] db) {
        if (db != null) {
            for (int i = 0; i < dy.length; i++) {
                db[outChannel(g, i)] += dy[i];
            }
        }
        forEachTap(g, (yi, xi, wi) -> {
            dx[xi] += dy[yi] * wt[wi];
            dw[wi] += dy[yi] * x[xi];
        });
    }

    /** Train-mode BatchNorm (biased batch variance), no activation. */
    static double[] bnForward(double[] x, int n, int c, int hw, double[] gamma, double[] beta, double eps) {
        double[] y = new double[x.length];
        for (int ch = 0; ch < c; ch++) {
            double[] mv = meanVar(x, n, c, hw, ch);
            double is = 1 / Math.sqrt(mv[1] + eps);
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < hw; j++) {
                    int o = (i * c + ch) * hw + j;
                    y[o] = (x[o] - mv[0]) * is * gamma[ch] + beta[ch];
                }
            }
        }
        return y;
    }

    static double[] meanVar(double[] x, int n, int c, int hw, int ch) {
        double s = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < hw; j++) {
                s += x[(i * c + ch) * hw + j];
            }
        }
        double m = s / (n * hw);
        double v = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < hw; j++) {
                double d = x[(i * c + ch) * hw + j] - m;
                v += d * d;
            }
        }
        return new double[] {m, v / (n * hw)};
    }

    /** Backward of {@link #bnForward}, written out from the chain rule through mean and variance. */
    static void bnBackward(double[] x, int n, int c, int hw, double[] gamma, double eps, double[] dy, double[] dx,
                           double[] dgamma, double[] dbeta) {
        int cnt = n * hw;
        for (int ch = 0; ch < c; ch++) {
            double[] mv = meanVar(x, n, c, hw, ch);
            double is = 1 / Math.sqrt(mv[1] + eps);
            double dvar = 0;
            double dmean = 0;
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < hw; j++) {
                    int o = (i * c + ch) * hw + j;
                    double xh = (x[o] - mv[0]) * is;
                    dgamma[ch] += dy[o] * xh;
                    dbeta[ch] += dy[o];
                    double dxh = dy[o] * gamma[ch];
                    dvar += dxh * (x[o] - mv[0]) * -0.5 * is * is * is;
                    dmean += -dxh * is;
                }
            }
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < hw; j++) {
                    int o = (i * c + ch) * hw + j;
                    dx[o] += dy[o] * gamma[ch] * is + dvar * 2 * (x[o] - mv[0]) / cnt + dmean / cnt;
                }
            }
        }
    }

    static double act(Activation a, double x) {
        switch (a) {
            case RELU:
                return Math.max(x, 0);
            case RELU6:
                return Math.min(Math.max(x, 0), 6);
            case HARD_SWISH:
                return x * Math.min(Math.max(x + 3, 0), 6) / 6;
            case HARD_SIGMOID:
                return Math.min(Math.max(x + 3, 0), 6) / 6;
            default:
                return x;
        }
    }

    static double actGrad(Activation a, double x) {
        switch (a) {
            case RELU:
                return x > 0 ? 1 : 0;
            case RELU6:
                return x > 0 && x < 6 ? 1 : 0;
            case HARD_SWISH:
                return x < -3 ? 0 : x <= 3 ? 2 * x / 6 + 0.5 : 1;
            case HARD_SIGMOID:
                return x > -3 && x < 3 ? 1.0 / 6 : 0;
            default:
                return 1;
        }
    }

    /** Linear over [n][in] with weight [out][in]. */
    static double[] linear(double[] x, int n, int in, int out, double[] w, double[] b) {
        double[] y = new double[n * out];
        for (int i = 0; i < n; i++) {
            for (int o = 0; o < out; o++) {
                double s = b[o];
                for (int j = 0; j < in; j++) {
                    s += w[o * in + j] * x[i * in + j];
                }
                y[i * out + o] = s;
            }
        }
        return y;
    }

    static void linearBackward(double[] x, int n, int in, int out, double[] w, double[] dy, double[] dx,
                               double[] dw, double[] db) {
        for (int i = 0; i < n; i++) {
            for (int o = 0; o < out; o++) {
                double g = dy[i * out + o];
                db[o] += g;
                for (int j = 0; j < in; j++) {
                    dw[o * in + j] += g * x[i * in + j];
                    dx[i * in + j] += g * w[o * in + j];
                }
            }
        }
    }

    /** The squeeze-excite gate's intermediates: pooled input, reduce output before and after act, expand output. */
    private record SeGate(double[] pooled, double[] r, double[] ra, double[] e) {
        static SeGate of(double[] x, int n, int c, int hw, int cr, Activation a, double[] wr, double[] br,
                         double[] we, double[] be) {
            double[] pooled = pool(x, n * c, hw);
            double[] r = linear(pooled, n, c, cr, wr, br);
            double[] ra = new double[r.length];
            for (int i = 0; i < r.length; i++) {
                ra[i] = act(a, r[i]);
            }
            return new SeGate(pooled, r, ra, linear(ra, n, cr, c, we, be));
        }
    }

    /** Squeeze-excite: x * hsig(We act(Wr mean(x) + br) + be). */
    static double[] se(double[] x, int n, int c, int hw, int cr, Activation a, double[] wr, double[] br,
                       double[] we, double[] be) {
        double[] e = SeGate.of(x, n, c, hw, cr, a, wr, br, we, be).e();
        double[] y = new double[x.length];
        for (int p = 0; p < n * c; p++) {
            double gte = act(Activation.HARD_SIGMOID, e[p]);
            for (int j = 0; j < hw; j++) {
                y[p * hw + j] = x[p * hw + j] * gte;
            }
        }
        return y;
    }

    static void seBackward(double[] x, int n, int c, int hw, int cr, Activation a, double[] wr, double[] br,
                           double[] we, double[] be, double[] dy, double[] dx, double[] dwr, double[] dbr,
                           double[] dwe, double[] dbe) {
        SeGate g = SeGate.of(x, n, c, hw, cr, a, wr, br, we, be);
        double[] pooled = g.pooled();
        double[] r = g.r();
        double[] ra = g.ra();
        double[] e = g.e();
        double[] de = new double[e.length];
        for (int p = 0; p < n * c; p++) {
            double gte = act(Activation.HARD_SIGMOID, e[p]);
            double dg = 0;
            for (int j = 0; j < hw; j++) {
                dx[p * hw + j] += dy[p * hw + j] * gte;
                dg += dy[p * hw + j] * x[p * hw + j];
            }
            de[p] = dg * actGrad(Activation.HARD_SIGMOID, e[p]);
        }
        double[] dra = new double[ra.length];
        linearBackward(ra, n, cr, c, we, de, dra, dwe, dbe);
        for (int i = 0; i < dra.length; i++) {
            dra[i] *= actGrad(a, r[i]);
        }
        double[] dpooled = new double[pooled.length];
        linearBackward(pooled, n, c, cr, wr, dra, dpooled, dwr, dbr);
        for (int p = 0; p < n * c; p++) {
            for (int j = 0; j < hw; j++) {
                dx[p * hw + j] += dpooled[p] / hw;
            }
        }
    }

    static double[] pool(double[] x, int planes, int hw) {
        double[] out = new double[planes];
        for (int p = 0; p < planes; p++) {
            for (int j = 0; j < hw; j++) {
                out[p] += x[p * hw + j] / hw;
            }
        }
        return out;
    }
}

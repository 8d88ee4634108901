package dev.mobilenet.training.engine;

import java.util.List;

/** Gradient clipping as torch.nn.utils.clip_grad_norm_ (L2) and clip_grad_value_. */
public final class GradClip {
    private GradClip() {
    }

    /**
     * Scales every gradient by min(1, maxNorm / (total + 1e-6)) where total is the L2 norm over all of them.
     *
     * @return the total norm before clipping
     */
    public static double byNorm(List<Param> params, double maxNorm) {
        double sq = 0;
        for (Param p : params) {
            for (float g : p.grad()) {
                sq += (double) g * g;
            }
        }
        double total = Math.sqrt(sq);
        double coef = Math.min(maxNorm / (total + 1e-6), 1.0);
        if (coef < 1.0) {
            float c = (float) coef;
            for (Param p : params) {
                float[] g = p.grad();
                for (int i = 0; i < g.length; i++) {
                    g[i] *= c;
                }
            }
        }
        return total;
    }

    /** Clamps every gradient value into [-limit, limit]. */
    public static void byValue(List<Param> params, double limit) {
        float l = (float) limit;
        for (Param p : params) {
            float[] g = p.grad();
            for (int i = 0; i < g.length; i++) {
                g[i] = Math.min(Math.max(g[i], -l), l);
            }
        }
    }
}

package dev.mobilenet.training.engine;

import dev.mobilenet.MobileNetException;
import dev.mobilenet.tensor.Tensor;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The update rules of torch's SGD and AdamW (torch 1.13, single-tensor form) and timm's RMSpropTF and Lamb, over
 * the model's own arrays. State per parameter is created lazily as in torch and exported under stable names
 * {@code <key>.<state>} ({@code momentum_buffer}, {@code square_avg}, {@code exp_avg}, {@code exp_avg_sq},
 * {@code step}).
 */
public final class Optimizer {
    private final OptimizerConfig cfg;
    /** Per-parameter state by key: buffers by name (insertion order) and the step count. */
    private final Map<String, Slot> slots = new LinkedHashMap<>();

    private static final class Slot {
        final Map<String, float[]> buffers = new LinkedHashMap<>();
        long step;
    }
    private float[] scratch = new float[0];

    public Optimizer(OptimizerConfig cfg) {
        this.cfg = cfg;
    }

    public OptimizerConfig config() {
        return cfg;
    }

    /** One update of {@code params} (those with gradients) at learning rate {@code lr}. */
    public void step(List<Param> params, double lr) {
        switch (cfg.name()) {
            case "sgd":
            case "momentum":
                for (Param p : params) {
                    sgd(p, lr);
                }
                break;
            case "rmsproptf":
                for (Param p : params) {
                    rmsprop(p, lr);
                }
                break;
            case "adamw":
                for (Param p : params) {
                    adamw(p, lr);
                }
                break;
            case "lamb":
                lamb(params, lr);
                break;
            default:
                throw new AssertionError(cfg.name());
        }
    }

    private Slot slot(Param p) {
        Slot s = slots.get(p.key());
        if (s == null) {
            s = new Slot();
            slots.put(p.key(), s);
        }
        return s;
    }

    private float[] buf(Param p, String name, float init) {
        Slot s = slot(p);
        float[] a = s.buffers.get(name);
        if (a == null) {
            a = new float[p.data().length];
            if (init != 0f) {
                java.util.Arrays.fill(a, init);
            }
            s.buffers.put(name, a);
        }
        return a;
    }

    private long nextStep(Param p) {
        return ++slot(p).step;
    }

    private double wd(Param p) {
        return p.decays() ? cfg.weightDecay() : 0.0;
    }

    private void sgd(Param p, double lr) {
        float[] w = p.data();
        float[] g = p.grad();
        float wd = (float) wd(p);
        float mom = (float) cfg.momentum();
        boolean nesterov = cfg.name().equals("sgd");
        long step = nextStep(p);
        float[] b = mom != 0f ? buf(p, "momentum_buffer", 0f) : null;
        float lrf = (float) lr;
        for (int i = 0; i < w.length; i++) {
            float d = wd != 0f ? g[i] + wd * w[i] : g[i];
            if (b != null) {
                b[i] = step == 1 ? d : b[i] * mom + d;
                d = nesterov ? d + mom * b[i] : b[i];
            }
            w[i] -= lrf * d;
        }
    }

    private void rmsprop(Param p, double lr) {
        float[] w = p.data();
        float[] g = p.grad();
        float wd = (float) wd(p);
        nextStep(p);
        float[] sq = buf(p, "square_avg", 1f);
        float[] b = cfg.momentum() > 0 ? buf(p, "momentum_buffer", 0f) : null;
        float oneMinusAlpha = (float) (1 - cfg.alpha());
        float eps = (float) cfg.eps();
        float mom = (float) cfg.momentum();
        float lrf = (float) lr;
        boolean decoupled = cfg.decoupledDecay();
        float decay = (float) (1 - lr * wd);
        for (int i = 0; i < w.length; i++) {
            float gi = g[i];
            if (wd != 0f) {
                if (decoupled) {
                    w[i] *= decay;
                } else {
                    gi += wd * w[i];
                }
            }
            sq[i] += (gi * gi - sq[i]) * oneMinusAlpha;
            float avg = (float) Math.sqrt(sq[i] + eps);
            if (b != null) {
                b[i] = b[i] * mom + lrf * gi / avg;
                w[i] -= b[i];
            } else {
                w[i] -= lrf * gi / avg;
            }
        }
    }

    private void adamw(Param p, double lr) {
        float[] w = p.data();
        float[] g = p.grad();
        long step = nextStep(p);
        float[] m = buf(p, "exp_avg", 0f);
        float[] v = buf(p, "exp_avg_sq", 0f);
        float b1 = (float) cfg.beta1();
        float b2 = (float) cfg.beta2();
        float decay = (float) (1 - lr * wd(p));
        double bc1 = 1 - Math.pow(cfg.beta1(), step);
        double bc2 = 1 - Math.pow(cfg.beta2(), step);
        float stepSize = (float) (lr / bc1);
        float bc2Sqrt = (float) Math.sqrt(bc2);
        float eps = (float) cfg.eps();
        for (int i = 0; i < w.length; i++) {
            w[i] *= decay;
            m[i] = m[i] * b1 + g[i] * (1 - b1);
            v[i] = v[i] * b2 + g[i] * g[i] * (1 - b2);
            float denom = (float) Math.sqrt(v[i]) / bc2Sqrt + eps;
            w[i] -= stepSize * (m[i] / denom);
        }
    }

    private void lamb(List<Param> params, double lr) {
        double clip = 1.0;
        if (cfg.maxGradNorm() > 0) {
            double sq = 0;
            for (Param p : params) {
                for (float x : p.grad()) {
                    sq += (double) x * x;
                }
            }
            clip = Math.max(Math.sqrt(sq) / cfg.maxGradNorm(), 1.0);
        }
        float b1 = (float) cfg.beta1();
        float b2 = (float) cfg.beta2();
        float eps = (float) cfg.eps();
        for (Param p : params) {
            float[] w = p.data();
            float[] g = p.grad();
            long step = nextStep(p);
            float[] m = buf(p, "exp_avg", 0f);
            float[] v = buf(p, "exp_avg_sq", 0f);
            float bc1 = (float) (1 - Math.pow(cfg.beta1(), step));
            float bc2Sqrt = (float) Math.sqrt(1 - Math.pow(cfg.beta2(), step));
            float wd = (float) wd(p);
            if (scratch.length < w.length) {
                scratch = new float[w.length];
            }
            float[] upd = scratch;
            for (int i = 0; i < w.length; i++) {
                float gi = (float) (g[i] / clip);
                g[i] = gi;
                m[i] = m[i] * b1 + gi * (1 - b1);
                v[i] = v[i] * b2 + gi * gi * (1 - b2);
                upd[i] = (m[i] / bc1) / ((float) Math.sqrt(v[i]) / bc2Sqrt + eps);
            }
            if (wd != 0f && cfg.decoupledDecay()) {
                float decay = (float) (1 - lr * wd);
                for (int i = 0; i < w.length; i++) {
                    w[i] *= decay;
                }
            } else if (wd != 0f) {
                for (int i = 0; i < w.length; i++) {
                    upd[i] += wd * w[i];
                }
            }
            double trust = 1.0;
            if (wd != 0f) {
                double wn = norm(w, w.length);
                double un = norm(upd, w.length);
                trust = wn > 0 && un > 0 ? wn / un : 1.0;
            }
            float scale = (float) (lr * trust);
            for (int i = 0; i < w.length; i++) {
                w[i] -= scale * upd[i];
            }
        }
    }

    private static double norm(float[] a, int len) {
        double s = 0;
        for (int i = 0; i < len; i++) {
            s += (double) a[i] * a[i];
        }
        return Math.sqrt(s);
    }

    /** The optimizer's state, by stable names; step counts as one-element tensors (exact up to 2^24 steps). */
    public Map<String, Tensor> state() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        slots.forEach((key, s) -> {
            s.buffers.forEach((name, v) -> out.put(key + "." + name, new Tensor(new int[] {v.length}, v.clone())));
            out.put(key + ".step", new Tensor(new int[] {1}, new float[] {s.step}));
        });
        return out;
    }

    /** Replaces the state with an exported one; every buffer must fit a parameter of {@code params}. */
    public void loadState(Map<String, Tensor> saved, List<Param> params) {
        Map<String, Param> byKey = new HashMap<>();
        params.forEach(p -> byKey.put(p.key(), p));
        Map<String, Slot> loaded = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> e : saved.entrySet()) {
            String k = e.getKey();
            int dot = k.lastIndexOf('.');
            Param p = dot < 0 ? null : byKey.get(k.substring(0, dot));
            String name = dot < 0 ? "" : k.substring(dot + 1);
            if (p == null || !STATE_NAMES.contains(name)) {
                throw new MobileNetException("optimizer state entry '" + k + "' names no trainable parameter's state");
            }
            Slot s = loaded.computeIfAbsent(p.key(), x -> new Slot());
            float[] d = e.getValue().data();
            if (name.equals("step")) {
                if (d.length != 1 || !(d[0] >= 0) || d[0] != Math.rint(d[0])) {
                    throw new MobileNetException("optimizer state entry '" + k + "' is not a step count");
                }
                s.step = (long) d[0];
            } else {
                if (d.length != p.data().length) {
                    throw new MobileNetException("optimizer state entry '" + k + "' has " + d.length
                            + " values but the parameter has " + p.data().length);
                }
                s.buffers.put(name, d.clone());
            }
        }
        slots.clear();
        slots.putAll(loaded);
    }

    private static final java.util.Set<String> STATE_NAMES = java.util.Set.of("step", "momentum_buffer", "square_avg",
            "exp_avg", "exp_avg_sq");
}

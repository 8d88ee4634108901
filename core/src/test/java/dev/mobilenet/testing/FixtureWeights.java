package dev.mobilenet.testing;

import dev.mobilenet.model.MobileNet;
import dev.mobilenet.nn.ParamRef;
import dev.mobilenet.tensor.Tensor;
import java.nio.charset.StandardCharsets;

/**
 * The Java twin of tools/make_fixtures.py's deterministic weights (see tools/FIXTURES.md): a counter-based
 * splitmix64 stream per (seed, key), so fixtures need not carry weights.
 */
public final class FixtureWeights {
    private FixtureWeights() {
    }

    public static long splitmix64(long x) {
        long z = x + 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    public static long fnv1a64(String s) {
        long h = 0xcbf29ce484222325L;
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            h = (h ^ (b & 0xff)) * 0x100000001b3L;
        }
        return h;
    }

    public static long base(long seed, String key) {
        return splitmix64(seed ^ fnv1a64(key));
    }

    /** u_i in [0, 1) with 24 random bits. */
    public static float u(long base, long i) {
        return (float) ((splitmix64(base + i) >>> 40) * 0x1.0p-24);
    }

    /** s_i = 2 u_i - 1, exact in float32. */
    public static float s(long base, long i) {
        return (float) (2.0 * u(base, i) - 1.0);
    }

    /** Overwrites every state-dict entry of {@code model} with the generator's values for {@code seed}. */
    public static void apply(MobileNet model, long seed) {
        for (ParamRef p : model.stateDict().values()) {
            if (p.isCounter()) {
                continue;
            }
            float[] d = p.data();
            long b = base(seed, p.key());
            String k = p.key();
            if (k.endsWith(".running_var")) {
                for (int i = 0; i < d.length; i++) {
                    d[i] = 0.5f + u(b, i);
                }
            } else if (k.endsWith(".running_mean")) {
                for (int i = 0; i < d.length; i++) {
                    d[i] = 0.1f * s(b, i);
                }
            } else if (k.endsWith(".weight") && p.shape().length == 1) {
                for (int i = 0; i < d.length; i++) {
                    d[i] = 1.0f + 0.25f * s(b, i);
                }
            } else if (k.endsWith(".bias")) {
                for (int i = 0; i < d.length; i++) {
                    d[i] = 0.1f * s(b, i);
                }
            } else {
                long fanIn = 1;
                for (int j = 1; j < p.shape().length; j++) {
                    fanIn *= p.shape()[j];
                }
                float scale = (float) Math.sqrt(5.0 / fanIn);
                for (int i = 0; i < d.length; i++) {
                    d[i] = s(b, i) * scale;
                }
            }
        }
    }

    public static Tensor input(long seed, int... shape) {
        Tensor t = Tensor.zeros(shape);
        long b = base(seed, "input");
        float[] d = t.data();
        for (int i = 0; i < d.length; i++) {
            d[i] = s(b, i);
        }
        return t;
    }
}

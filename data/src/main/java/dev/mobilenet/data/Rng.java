package dev.mobilenet.data;

import java.util.SplittableRandom;

/**
 * The random source of one sample or one batch: a {@link SplittableRandom} seeded from (master seed, epoch,
 * index) so that what a worker thread draws never depends on which thread runs it or when. The helpers follow
 * Python's {@code random} semantics (inclusive {@code randint}, {@code uniform(a, b)}), not its bit stream.
 */
public final class Rng {
    private final SplittableRandom random;

    private Rng(long seed) {
        this.random = new SplittableRandom(seed);
    }

    /** A stream for one purpose: {@code stream} separates samples, batches and splits of the same index. */
    public static Rng of(long seed, long stream, long epoch, long index) {
        long h = mix(seed);
        h = mix(h ^ (stream * 0x9E3779B97F4A7C15L));
        h = mix(h ^ (epoch * 0xC2B2AE3D27D4EB4FL + 0x165667B19E3779F9L));
        h = mix(h ^ (index * 0xD6E8FEB86659FD93L + 0x27D4EB2F165667C5L));
        return new Rng(h);
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Uniform in [0, 1). */
    public double random() {
        return random.nextDouble();
    }

    /** Uniform in [a, b) as Python's {@code random.uniform}. */
    public double uniform(double a, double b) {
        return a + (b - a) * random.nextDouble();
    }

    /** Uniform integer in [a, b], both ends included (Python's {@code random.randint}). */
    public int randint(int a, int b) {
        return a + random.nextInt(b - a + 1);
    }

    /** Uniform integer in [0, n). */
    public int nextInt(int n) {
        return random.nextInt(n);
    }

    /** Normal with mean {@code mu} and standard deviation {@code sigma}. */
    public double gauss(double mu, double sigma) {
        return mu + sigma * random.nextGaussian();
    }

    /** Standard normal as a float (for per-pixel noise). */
    public float normal() {
        return (float) random.nextGaussian();
    }

    /** Beta(a, b) from two gamma variates. */
    public double beta(double a, double b) {
        double x = gamma(a);
        double y = gamma(b);
        return x + y == 0 ? 0.5 : x / (x + y);
    }

    /** Gamma(shape, 1), Marsaglia and Tsang; shapes below 1 boosted with U^(1/shape). */
    double gamma(double shape) {
        if (shape < 1) {
            double u = random.nextDouble();
            return gamma(shape + 1) * Math.pow(u, 1 / shape);
        }
        double d = shape - 1.0 / 3;
        double c = 1 / Math.sqrt(9 * d);
        while (true) {
            double x = random.nextGaussian();
            double v = 1 + c * x;
            if (v <= 0) {
                continue;
            }
            v = v * v * v;
            double u = random.nextDouble();
            if (u < 1 - 0.0331 * x * x * x * x || Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) {
                return d * v;
            }
        }
    }

    /** A random permutation of 0..n-1 (Fisher-Yates). */
    public int[] permutation(int n) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }
}

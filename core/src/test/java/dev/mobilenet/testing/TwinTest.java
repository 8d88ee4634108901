package dev.mobilenet.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Random;
import org.junit.jupiter.api.BeforeAll;

/**
 * Base of the tests that compare a Vector API kernel with its scalar twin: they run only where jdk.incubator.vector
 * is present (the surefire argLine adds it), on seeded Gaussian inputs.
 */
public abstract class TwinTest {
    private final Random rng;
    private final float scale;

    protected TwinTest(long seed, float scale) {
        this.rng = new Random(seed);
        this.scale = scale;
    }

    @BeforeAll
    static void vectorModule() {
        assumeTrue(ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent(),
                "tests run with --add-modules jdk.incubator.vector (see the surefire argLine)");
    }

    /** {@code n} Gaussian values times the scale, from the test's own seeded generator. */
    protected float[] rand(int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) rng.nextGaussian() * scale;
        }
        return a;
    }
}

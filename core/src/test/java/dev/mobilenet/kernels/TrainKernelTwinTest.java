package dev.mobilenet.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.mobilenet.testing.Golden;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The Vector API training kernels against their scalar twins in {@link TrainKernels}. */
class TrainKernelTwinTest {
    private final Random rng = new Random(31);

    @BeforeAll
    static void vectorModule() {
        assumeTrue(ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent(),
                "tests run with --add-modules jdk.incubator.vector (see the surefire argLine)");
    }

    private float[] rand(int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) rng.nextGaussian();
        }
        return a;
    }

    @Test
    void gemmAndTransposedGemmMatchScalar() {
        int cases = 0;
        for (int m : new int[] {1, 3, 4, 5, 9}) {
            for (int n : new int[] {1, 7, 8, 17, 33, 100}) {
                for (int k : new int[] {1, 5, 64}) {
                    for (boolean acc : new boolean[] {false, true}) {
                        int off = 3;
                        float[] a = rand(off + m * k);
                        float[] b = rand(off + k * n);
                        float[] c0 = rand(off + m * n);
                        float[] scalar = c0.clone();
                        float[] vector = c0.clone();
                        TrainKernels.gemm(scalar, off, a, off, b, off, m, n, k, acc);
                        TrainVectorKernels.gemm(vector, off, a, off, b, off, m, n, k, acc);
                        String what = "gemm " + m + "x" + n + "x" + k + (acc ? " +=" : "");
                        Golden.assertClose(what, scalar, vector, 2e-6);
                        scalar = c0.clone();
                        vector = c0.clone();
                        TrainKernels.gemmTN(scalar, off, a, off, b, off, m, n, k, acc);
                        TrainVectorKernels.gemmTN(vector, off, a, off, b, off, m, n, k, acc);
                        Golden.assertClose("TN " + what, scalar, vector, 2e-6);
                        cases++;
                    }
                }
            }
        }
        assertEquals(180, cases);
    }
}

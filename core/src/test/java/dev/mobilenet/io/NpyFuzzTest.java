package dev.mobilenet.io;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.mobilenet.testing.Hostile;

/** .npy from hostile bytes: magic, version, header dict, dtype, shape, order, data length. */
class NpyFuzzTest {
    @FuzzTest
    void fuzz(byte[] data) throws Exception {
        Hostile.parse(() -> {
            NpyArray a = Npy.read(data, "fuzz.npy");
            long declared = 1;
            for (int d : a.shape()) {
                declared *= d;
            }
            if (declared != a.size()) {
                throw new AssertionError("shape " + java.util.Arrays.toString(a.shape()) + " but " + a.size()
                        + " elements");
            }
            if (a.isFloat()) {
                a.toTensor("fuzz.npy");
            }
        });
    }
}

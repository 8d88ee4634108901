package dev.mobilenet.kernels;

import dev.mobilenet.testing.TwinTest;

/** What the HWC kernel twin tests share: both implementations and the tolerance between them. */
abstract class NhwcTwins extends TwinTest {
    static final double RTOL = 2e-6;

    final NhwcKernels scalar = ScalarNhwc.INSTANCE;
    final NhwcKernels vector = new VectorNhwc();

    NhwcTwins(long seed, float scale) {
        super(seed, scale);
    }
}

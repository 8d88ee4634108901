package dev.mobilenet.image.webp;

import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** How the WebP decoder chooses each of its kernel pairs once, as core's {@code Kernels} chooses its own. */
final class WebpKernels {
    private WebpKernels() {
    }

    /**
     * {@code vector.get()} when {@code jdk.incubator.vector} is in the boot layer, {@code supported} holds and
     * {@code -Dmobilenet.kernels=scalar} is not set; else {@code scalar}. The suppliers are lambdas, so the vector
     * class is first touched inside the guard.
     */
    static <T> T choose(BooleanSupplier supported, Supplier<T> vector, T scalar) {
        if ("scalar".equals(System.getProperty("mobilenet.kernels"))
                || ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
            return scalar;
        }
        try {
            return supported.getAsBoolean() ? vector.get() : scalar;
        } catch (LinkageError e) {
            // the module is listed but unusable on this JVM: the scalar kernels give the same bytes
            return scalar;
        }
    }
}

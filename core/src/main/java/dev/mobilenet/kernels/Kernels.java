package dev.mobilenet.kernels;

/**
 * The kernel entry points the engine calls. Each forwards to the Vector API twin when
 * {@code jdk.incubator.vector} is present (start the JVM with {@code --add-modules jdk.incubator.vector})
 * and to {@link ScalarKernels} otherwise. {@code -Dmobilenet.kernels=scalar} forces the scalar path.
 */
public final class Kernels {
    private Kernels() {
    }

    private static final boolean VECTOR = detectVector();

    private static boolean detectVector() {
        if ("scalar".equals(System.getProperty("mobilenet.kernels"))) {
            return false;
        }
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
            return false;
        }
        try {
            return VectorKernels.lanes() > 1;
        } catch (LinkageError e) {
            return false;
        }
    }

    /** True when the Vector API path is active. */
    public static boolean vectorized() {
        return VECTOR;
    }

    /** A short description for logs and benchmarks, e.g. "vector 256-bit" or "scalar". */
    public static String describe() {
        return VECTOR ? "vector " + VectorKernels.lanes() * 32 + "-bit" : "scalar";
    }

    public static void matvecForward(float[] out, int outOff, float[] x, int xOff, float[] w, float[] bias,
                                     int inDim, int outDim) {
        if (VECTOR) {
            VectorKernels.matvecForward(out, outOff, x, xOff, w, bias, inDim, outDim);
        } else {
            ScalarKernels.matvecForward(out, outOff, x, xOff, w, bias, inDim, outDim);
        }
    }

    public static void activationForward(float[] x, int off, int len, Activation act) {
        if (VECTOR) {
            VectorKernels.activationForward(x, off, len, act);
        } else {
            ScalarKernels.activationForward(x, off, len, act);
        }
    }

    public static void addForward(float[] out, int outOff, float[] in, int inOff, int len) {
        if (VECTOR) {
            VectorKernels.addForward(out, outOff, in, inOff, len);
        } else {
            ScalarKernels.addForward(out, outOff, in, inOff, len);
        }
    }

    /** Channel counts, row strides, weights and biases of the HWC kernels are padded to a multiple of this. */
    public static int channelAlign() {
        return VECTOR ? VectorNhwc.lanes() : 1;
    }

    /** {@code c} rounded up to {@link #channelAlign()}. */
    public static int alignChannels(int c) {
        int a = channelAlign();
        return (c + a - 1) / a * a;
    }

    /** Output channels per weight panel of {@link #pointwiseNhwc}: two vectors. */
    public static int pointwisePanel() {
        return 2 * channelAlign();
    }

    /** Point-wise weights [cout][cin] packed for {@link #pointwiseNhwc}. */
    public static float[] packPointwise(float[] w, int cin, int cout) {
        return ScalarNhwc.packPointwise(w, cin, cout, pointwisePanel());
    }

    /** The inverse of {@link #packPointwise}: weights [cout][cin]. */
    public static float[] unpackPointwise(float[] packed, int cin, int cout) {
        return ScalarNhwc.unpackPointwise(packed, cin, cout, pointwisePanel());
    }

    /** @param w weights from {@link #packPointwise} */
    public static void pointwiseNhwc(float[] out, int outOff, int ldo, float[] in, int inOff, int ldi, float[] w,
                                     float[] bias, Activation act, float[] res, int resOff, int ldr,
                                     int cin, int cout, int p0, int p1) {
        if (VECTOR) {
            VectorNhwc.pointwise(out, outOff, ldo, in, inOff, ldi, w, pointwisePanel(), bias, act, res, resOff, ldr,
                    cin, cout, p0, p1);
        } else {
            ScalarNhwc.pointwise(out, outOff, ldo, in, inOff, ldi, w, pointwisePanel(), bias, act, res, resOff, ldr,
                    cin, cout, p0, p1);
        }
    }

    public static void depthwiseNhwc(float[] out, int outOff, int ldo, float[] in, int inOff, int ldi, float[] w,
                                     int ldw, float[] bias, Activation act, int c, ConvGeom g, int oy0, int oy1) {
        if (VECTOR) {
            VectorNhwc.depthwise(out, outOff, ldo, in, inOff, ldi, w, ldw, bias, act, c, g, oy0, oy1);
        } else {
            ScalarNhwc.depthwise(out, outOff, ldo, in, inOff, ldi, w, ldw, bias, act, c, g, oy0, oy1);
        }
    }

    public static void convFromChw(float[] out, int outOff, int ldo, float[] in, int inOff, float[] w, int ldw,
                                   float[] bias, Activation act, int cin, int cout, ConvGeom g, int oy0, int oy1) {
        if (VECTOR) {
            VectorNhwc.convFromChw(out, outOff, ldo, in, inOff, w, ldw, bias, act, cin, cout, g, oy0, oy1);
        } else {
            ScalarNhwc.convFromChw(out, outOff, ldo, in, inOff, w, ldw, bias, act, cin, cout, g, oy0, oy1);
        }
    }

    public static void convNhwc(float[] out, int outOff, int ldo, float[] in, int inOff, int ldi, float[] w,
                                float[] bias, Activation act, int cin, int cout, int groups, ConvGeom g, int oy0,
                                int oy1) {
        ScalarNhwc.conv(out, outOff, ldo, in, inOff, ldi, w, bias, act, cin, cout, groups, g, oy0, oy1);
    }

    public static void globalAvgPoolNhwc(float[] out, int outOff, float[] in, int inOff, int ldi, int c, int hw) {
        if (VECTOR) {
            VectorNhwc.globalAvgPool(out, outOff, in, inOff, ldi, c, hw);
        } else {
            ScalarNhwc.globalAvgPool(out, outOff, in, inOff, ldi, c, hw);
        }
    }

    public static void channelScaleNhwc(float[] x, int off, int ld, float[] gate, int gateOff, int c, int hw) {
        if (VECTOR) {
            VectorNhwc.channelScale(x, off, ld, gate, gateOff, c, hw);
        } else {
            ScalarNhwc.channelScale(x, off, ld, gate, gateOff, c, hw);
        }
    }
}

package dev.mobilenet.kernels;

/**
 * The kernel entry points the engine calls, forwarding to the {@link NhwcKernels} implementation chosen once at
 * start-up: the Vector API one when {@code jdk.incubator.vector} is present (start the JVM with
 * {@code --add-modules jdk.incubator.vector}), else {@link ScalarNhwc}. {@code -Dmobilenet.kernels=scalar} forces the
 * scalar one.
 */
public final class Kernels {
    private Kernels() {
    }

    private static final NhwcKernels IMPL = select();

    private static NhwcKernels select() {
        if ("scalar".equals(System.getProperty("mobilenet.kernels"))
                || ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
            return ScalarNhwc.INSTANCE;
        }
        try {
            NhwcKernels vector = new VectorNhwc();
            return vector.channelAlign() > 1 ? vector : ScalarNhwc.INSTANCE;
        } catch (LinkageError e) {
            // The module is listed but cannot be used on this JVM: the scalar kernels give the same results.
            return ScalarNhwc.INSTANCE;
        }
    }

    /** True when the Vector API path is active. */
    public static boolean vectorized() {
        return IMPL != ScalarNhwc.INSTANCE;
    }

    /** A short description for logs and benchmarks, e.g. "vector 256-bit" or "scalar". */
    public static String describe() {
        return vectorized() ? "vector " + IMPL.channelAlign() * 32 + "-bit, " + VectorNhwc.TILE + "x2 point-wise tile"
                : "scalar";
    }

    /** Channel counts, row strides, weights and biases of the HWC kernels are padded to a multiple of this. */
    public static int channelAlign() {
        return IMPL.channelAlign();
    }

    /** {@code c} rounded up to {@link #channelAlign()}. */
    public static int alignChannels(int c) {
        int a = channelAlign();
        return (c + a - 1) / a * a;
    }

    /** Output channels per weight panel of {@link #pointwise}: two vectors. */
    public static int pointwisePanel() {
        return 2 * channelAlign();
    }

    /** Point-wise weights [cout][cin] packed for {@link #pointwise}. */
    public static float[] packPointwise(float[] w, int cin, int cout) {
        return ScalarNhwc.packPointwise(w, cin, cout, pointwisePanel());
    }

    /** The inverse of {@link #packPointwise}: weights [cout][cin]. */
    public static float[] unpackPointwise(float[] packed, int cin, int cout) {
        return ScalarNhwc.unpackPointwise(packed, cin, cout, pointwisePanel());
    }

    /** {@link NhwcKernels#pointwise} on panels of {@link #pointwisePanel()}; {@code w} from {@link #packPointwise}. */
    public static void pointwise(float[] out, int outOff, int ldo, float[] in, int inOff, int ldi, float[] w,
                                 float[] bias, Activation act, float[] res, int resOff, int ldr, int cin, int cout,
                                 int p0, int p1) {
        IMPL.pointwise(out, outOff, ldo, in, inOff, ldi, w, pointwisePanel(), bias, act, res, resOff, ldr, cin, cout,
                p0, p1);
    }

    public static void depthwise(float[] out, int outOff, int ldo, float[] in, int inOff, int ldi, float[] w,
                                 int ldw, float[] bias, Activation act, int c, ConvGeom g, int oy0, int oy1) {
        IMPL.depthwise(out, outOff, ldo, in, inOff, ldi, w, ldw, bias, act, c, g, oy0, oy1);
    }

    public static void convFromChw(float[] out, int outOff, int ldo, float[] in, int inOff, float[] w, int ldw,
                                   float[] bias, Activation act, int cin, int cout, ConvGeom g, int oy0, int oy1) {
        IMPL.convFromChw(out, outOff, ldo, in, inOff, w, ldw, bias, act, cin, cout, g, oy0, oy1);
    }

    public static void conv(float[] out, int outOff, int ldo, float[] in, int inOff, int ldi, float[] w,
                            float[] bias, Activation act, int cin, int cout, int groups, ConvGeom g, int oy0,
                            int oy1) {
        IMPL.conv(out, outOff, ldo, in, inOff, ldi, w, bias, act, cin, cout, groups, g, oy0, oy1);
    }

    public static void globalAvgPool(float[] out, int outOff, float[] in, int inOff, int ldi, int c, int hw) {
        IMPL.globalAvgPool(out, outOff, in, inOff, ldi, c, hw);
    }

    public static void channelScale(float[] x, int off, int ld, float[] gate, int gateOff, int c, int hw) {
        IMPL.channelScale(x, off, ld, gate, gateOff, c, hw);
    }

    public static void matvec(float[] out, int outOff, float[] x, int xOff, float[] w, float[] bias, int inDim,
                              int o0, int o1) {
        IMPL.matvec(out, outOff, x, xOff, w, bias, inDim, o0, o1);
    }

    public static void activation(float[] x, int off, int len, Activation act) {
        IMPL.activation(x, off, len, act);
    }

    public static void add(float[] out, int outOff, float[] in, int inOff, int len) {
        IMPL.add(out, outOff, in, inOff, len);
    }
}

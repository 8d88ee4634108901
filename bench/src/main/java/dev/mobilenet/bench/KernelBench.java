package dev.mobilenet.bench;

import dev.mobilenet.kernels.Activation;
import dev.mobilenet.kernels.ConvGeom;
import dev.mobilenet.kernels.Kernels;
import dev.mobilenet.kernels.ScalarNhwc;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The engine's kernels on layer shapes taken from MobileNetV2/V3 at 224 (one image, one thread). The
 * {@code impl} parameter picks the dispatching entry point (vector when the module is present) or the scalar twin,
 * so the speed-up of each vector kernel is measured in the same run.
 */
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class KernelBench extends ForkedBench {
    /** cin/cout/pixels for point-wise; channels/side/kernel/stride for depthwise. */
    @Param({"pw:16:96:12544", "pw:96:24:3136", "pw:112:672:196", "pw:960:160:49", "pw:1024:1024:49",
        "dw:96:112:3:2", "dw:144:56:3:1", "dw:72:56:5:2", "dw:960:7:5:1"})
    public String shape;

    @Param({"vector", "scalar"})
    public String impl;

    private boolean pointwise;
    private float[] in;
    private float[] w;
    private float[] bias;
    private float[] out;
    private int a;
    private int b;
    private int c;
    private int ld;
    private ConvGeom geom;

    @Setup(Level.Trial)
    public void setUp() {
        if (impl.equals("vector") && !Kernels.vectorized()) {
            throw new IllegalStateException("Vector API not active: add --add-modules jdk.incubator.vector");
        }
        String[] p = shape.split(":");
        pointwise = p[0].equals("pw");
        SplittableRandom rng = new SplittableRandom(1);
        a = Integer.parseInt(p[1]);
        b = Integer.parseInt(p[2]);
        if (pointwise) {
            c = Integer.parseInt(p[3]);
            int cinPad = Kernels.alignChannels(a);
            ld = Kernels.alignChannels(b);
            in = fill(rng, c * cinPad);
            w = Kernels.packPointwise(fill(rng, a * b), a, b);
            bias = fill(rng, ld);
            out = new float[c * ld];
        } else {
            int k = Integer.parseInt(p[3]);
            int s = Integer.parseInt(p[4]);
            int o = (b + 2 * (k / 2) - k) / s + 1;
            geom = new ConvGeom(b, b, k, s, 1, k / 2, k / 2, o, o);
            ld = Kernels.alignChannels(a);
            in = fill(rng, b * b * ld);
            w = fill(rng, k * k * ld);
            bias = fill(rng, ld);
            out = new float[o * o * ld];
        }
    }

    private static float[] fill(SplittableRandom rng, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) rng.nextDouble(-1, 1);
        }
        return x;
    }

    @Benchmark
    public float[] kernel() {
        boolean vector = impl.equals("vector");
        if (pointwise) {
            int cinPad = Kernels.alignChannels(a);
            if (vector) {
                Kernels.pointwise(out, 0, ld, in, 0, cinPad, w, bias, Activation.RELU6, null, 0, 0, a, b, 0, c);
            } else {
                ScalarNhwc.INSTANCE.pointwise(out, 0, ld, in, 0, cinPad, w, Kernels.pointwisePanel(), bias,
                        Activation.RELU6, null, 0, 0, a, b, 0, c);
            }
        } else if (vector) {
            Kernels.depthwise(out, 0, ld, in, 0, ld, w, ld, bias, Activation.RELU6, a, geom, 0, geom.oh());
        } else {
            ScalarNhwc.INSTANCE.depthwise(out, 0, ld, in, 0, ld, w, ld, bias, Activation.RELU6, a, geom, 0,
                    geom.oh());
        }
        return out;
    }
}

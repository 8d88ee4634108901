package dev.mobilenet.bench;

import dev.mobilenet.kernels.Kernels;
import dev.mobilenet.model.MobileNet;
import dev.mobilenet.model.Session;
import dev.mobilenet.onnxruntime.OrtEngine;
import dev.mobilenet.tensor.Tensor;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Latency per call of the Java engine and of ONNX Runtime on the same exported model, in the same JVM run, for each
 * batch size and thread count. Weights are timm-style random (the arithmetic does not depend on their values).
 */
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 4, time = 2)
@Measurement(iterations = 6, time = 2)
public class InferenceBench extends ForkedBench {
    @Param({"mobilenetv3_large_100", "mobilenetv3_small_100", "mobilenetv2_100", "mobilenetv1_100"})
    public String model;

    @Param({"224"})
    public int size;

    @Param({"java", "onnxruntime"})
    public String engine;

    @Param({"1"})
    public int batch;

    @Param({"1"})
    public int threads;

    private Session session;
    private OrtEngine ort;
    private Tensor input;
    private float[] out;

    @Setup(Level.Trial)
    public void setUp() {
        MobileNet net = MobileNet.create(model);
        input = Tensor.zeros(batch, 3, size, size);
        float[] d = input.data();
        for (int i = 0; i < d.length; i++) {
            d[i] = (float) Math.sin(i * 0.01);
        }
        out = new float[batch * net.numClasses()];
        if (engine.equals("java")) {
            // A JMH -jvmArgsAppend on the command line replaces the one above; refuse to time scalar code by accident.
            if (!Kernels.vectorized() && !"scalar".equals(System.getProperty("mobilenet.kernels"))) {
                throw new IllegalStateException("Vector API not active: add --add-modules jdk.incubator.vector");
            }
            System.err.println("java engine kernels: " + Kernels.describe());
            session = net.compile().newSession(threads);
        } else {
            ort = new OrtEngine(net, threads);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (ort != null) {
            ort.close();
        }
        if (session != null) {
            session.close();
        }
    }

    @Benchmark
    public float[] logits() {
        if (session != null) {
            session.logits(input.data(), batch, size, size, out);
            return out;
        }
        ort.logits(input.data(), batch, size, size, out);
        return out;
    }
}

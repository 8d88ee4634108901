package dev.mobilenet.onnxruntime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.mobilenet.arch.ModelSpec;
import dev.mobilenet.model.MobileNet;
import dev.mobilenet.model.Session;
import dev.mobilenet.onnx.ExportOptions;
import dev.mobilenet.onnx.OnnxExporter;
import dev.mobilenet.tensor.Tensor;
import dev.mobilenet.testing.FixtureWeights;
import dev.mobilenet.testing.Golden;
import java.nio.FloatBuffer;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Dynamic-size exports run at sizes other than the export size, every opset from 13 to 21 loads and agrees with
 * the Java engine, and the metadata_props reach ONNX Runtime.
 */
class OrtExportVariantsTest {
    @ParameterizedTest(name = "{0} opset {1}")
    @CsvSource({
            "tf_mobilenetv3_large_100, 13", "tf_mobilenetv3_small_minimal_100, 17", "mobilenetv3_small_100, 18",
            "mobilenetv2_110d, 19", "mobilenetv1_100h, 20", "mobilenetv3_rw, 21", "tf_mobilenetv3_small_075, 14"})
    void dynamicSizeExportRunsAtAnySize(String arch, int opset) throws Exception {
        MobileNet m = MobileNet.create(ModelSpec.parse(arch), 12, 0L);
        FixtureWeights.apply(m, 77L);
        byte[] model = OnnxExporter.export(m, new ExportOptions(opset, 224, 224, true, ExportOptions.Output.LOGITS,
                Map.of("model_name", arch + ".test", "mean", "0.5,0.5,0.5")));
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        Session java = m.compile().newSession();
        try (OrtSession.SessionOptions so = new OrtSession.SessionOptions()) {
            so.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            so.setIntraOpNumThreads(1);
            try (OrtSession s = env.createSession(model, so)) {
                Map<String, String> meta = s.getMetadata().getCustomMetadata();
                assertEquals(arch + ".test", meta.get("model_name"));
                assertEquals("12", meta.get("num_classes"));
                assertEquals("0.5,0.5,0.5", meta.get("mean"));
                for (int[] shape : new int[][] {{2, 3, 64, 64}, {1, 3, 97, 83}, {1, 3, 33, 47}, {1, 3, 32, 32},
                        {1, 3, 32, 129}}) {
                    Tensor x = FixtureWeights.input(5L, shape);
                    long[] dims = {shape[0], shape[1], shape[2], shape[3]};
                    try (OnnxTensor in = OnnxTensor.createTensor(env, FloatBuffer.wrap(x.data()), dims);
                         OrtSession.Result r = s.run(Map.of("input", in))) {
                        OnnxTensor out = (OnnxTensor) r.get("logits").orElseThrow();
                        assertArrayEquals(new long[] {shape[0], 12}, out.getInfo().getShape());
                        FloatBuffer fb = out.getFloatBuffer();
                        float[] y = new float[fb.remaining()];
                        fb.get(y);
                        Golden.assertClose(arch + " at " + shape[2] + "x" + shape[3], java.logits(x).data(), y,
                                OrtParityTest.RTOL);
                    }
                }
            }
        }
    }
}

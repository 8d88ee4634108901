package dev.mobilenet.onnxruntime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mobilenet.io.NpyArray;
import dev.mobilenet.model.MobileNet;
import dev.mobilenet.model.Session;
import dev.mobilenet.tensor.Tensor;
import dev.mobilenet.testing.FixtureDir;
import dev.mobilenet.testing.Golden;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every architecture exported to ONNX and run in ONNX Runtime: outputs equal timm's fixtures and the Java engine's
 * within 1e-4 relative. Covers logits, pre-logits and features, odd sizes and TF-SAME padding.
 */
class OrtParityTest {
    static final double RTOL = 1e-4;

    @TestFactory
    Stream<DynamicTest> onnxRuntimeMatchesTimmAndJava() {
        Stream<JsonNode> cases = FixtureDir.elements(ReferenceFixtures.MANIFEST.get("cases"))
                .filter(OrtParityTest::covered);
        return DynamicTest.stream(cases, c -> c.get("file").asText() + " (" + c.get("kind").asText() + ")",
                OrtParityTest::check);
    }

    /** The small cases with generated weights, and the odd 193-pixel ones. */
    private static boolean covered(JsonNode c) {
        int side = c.get("input").get(2).asInt();
        boolean small = side <= 97 && !c.has("weights_file");
        boolean odd = side == 193;
        return small || odd;
    }

    private static void check(JsonNode c) {
        String what = c.get("file").asText();
        MobileNet model = FixtureDir.model(c);
        Tensor x = FixtureDir.input(c);
        Map<String, NpyArray> ref = ReferenceFixtures.outputs(c);
        Session java = model.compile().newSession();
        try (OrtEngine ort = new OrtEngine(model, 1)) {
            if (ref.containsKey("logits")) {
                compare(what + " logits", ref.get("logits"), java.logits(x), ort.logits(x));
            }
            if (ref.containsKey("pre_logits")) {
                compare(what + " pre_logits", ref.get("pre_logits"), java.preLogits(x), ort.preLogits(x));
            }
            if (ref.containsKey("features.0")) {
                List<Tensor> jf = java.features(x);
                List<Tensor> of = ort.features(x);
                assertEquals(jf.size(), of.size(), what + " feature count");
                for (int i = 0; i < of.size(); i++) {
                    compare(what + " features." + i, ref.get("features." + i), jf.get(i), of.get(i));
                }
            }
        }
    }

    private static void compare(String what, NpyArray timm, Tensor java, Tensor ort) {
        assertArrayEquals(timm.shape(), ort.shape(), what + " shape");
        Golden.assertClose(what + " onnxruntime vs timm", timm.floats(), ort.data(), RTOL);
        Golden.assertClose(what + " onnxruntime vs java", java.data(), ort.data(), RTOL);
    }
}

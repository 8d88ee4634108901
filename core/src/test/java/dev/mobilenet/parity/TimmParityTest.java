package dev.mobilenet.parity;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mobilenet.arch.ModelSpec;
import dev.mobilenet.io.NpyArray;
import dev.mobilenet.model.FeatureInfo;
import dev.mobilenet.model.MobileNet;
import dev.mobilenet.model.Session;
import dev.mobilenet.nn.ParamRef;
import dev.mobilenet.tensor.Tensor;
import dev.mobilenet.testing.Golden;
import dev.mobilenet.testing.FixtureDir;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every fixture case from timm: same weights (from the shared generator), same input, outputs within 1e-4
 * relative. Also the state-dict keys, shapes, parameter counts, MACs and feature_info of every architecture.
 */
class TimmParityTest {
    static final double RTOL = 1e-4;

    @TestFactory
    Stream<DynamicTest> outputsMatchTimm() {
        // Cases whose weights come from a file: SafetensorsParityTest.
        Stream<JsonNode> cases = FixtureDir.elements(Fixtures.MANIFEST.get("cases"))
                .filter(c -> !c.has("weights_file"));
        return DynamicTest.stream(cases, c -> c.get("file").asText(), TimmParityTest::checkCase);
    }

    private static void checkCase(JsonNode c) {
        MobileNet model = FixtureDir.model(c);
        Tensor x = FixtureDir.input(c);
        Session session = model.compile().newSession();
        Map<String, NpyArray> ref = Fixtures.outputs(c);
        String what = c.get("file").asText();
        if (ref.containsKey("logits")) {
            Tensor y = session.logits(x);
            assertArrayEquals(ref.get("logits").shape(), y.shape(), what + " logits shape");
            Golden.assertClose(what + " logits", ref.get("logits").floats(), y.data(), RTOL);
        }
        if (ref.containsKey("pre_logits")) {
            Tensor y = session.preLogits(x);
            assertArrayEquals(ref.get("pre_logits").shape(), y.shape(), what + " pre_logits shape");
            Golden.assertClose(what + " pre_logits", ref.get("pre_logits").floats(), y.data(), RTOL);
        }
        List<Tensor> feats = null;
        for (int f = 0; ref.containsKey("features." + f); f++) {
            if (feats == null) {
                feats = session.features(x);
            }
            NpyArray r = ref.get("features." + f);
            assertArrayEquals(r.shape(), feats.get(f).shape(), what + " features." + f + " shape");
            Golden.assertClose(what + " features." + f, r.floats(), feats.get(f).data(), RTOL);
        }
        if (feats != null) {
            assertEquals(feats.size(), countFeatures(ref), what + " feature count");
        }
    }

    private static int countFeatures(Map<String, NpyArray> ref) {
        int n = 0;
        while (ref.containsKey("features." + n)) {
            n++;
        }
        return n;
    }

    @TestFactory
    Stream<DynamicTest> structureMatchesTimm() {
        Stream<Map.Entry<String, JsonNode>> archs = Fixtures.MANIFEST.get("archs").properties().stream()
                .filter(e -> !e.getKey().contains("@"));
        return DynamicTest.stream(archs, Map.Entry::getKey, e -> checkStructure(e.getKey(), e.getValue()));
    }

    private static void checkStructure(String arch, JsonNode a) {
        MobileNet m = MobileNet.create(ModelSpec.parse(arch), 1000, 0L);
        List<String> expected = new ArrayList<>();
        for (JsonNode kv : a.get("state_dict")) {
            expected.add(kv.get(0).asText() + " " + java.util.Arrays.toString(FixtureDir.ints(kv.get(1))));
        }
        List<String> actual = new ArrayList<>();
        for (ParamRef p : m.stateDict().values()) {
            actual.add(p.key() + " " + java.util.Arrays.toString(p.shape()));
        }
        assertEquals(expected, actual, arch + " state dict keys, order and shapes");
        assertEquals(a.get("params").asLong(), m.paramCount(), arch + " params");
        assertEquals(a.get("macs_224").asLong(), m.macs(224, 224), arch + " MACs at 224");
        int side = a.get("default_input_size").get(1).asInt();
        assertEquals(a.get("macs_default").asLong(), m.macs(side, side), arch + " MACs at default size");
        assertEquals(a.get("num_features").asInt(), m.numFeatures(), arch + " num_features");
        assertEquals(a.get("head_hidden_size").asInt(), m.headHiddenSize(), arch + " head_hidden_size");
        JsonNode fi = a.get("feature_info");
        assertEquals(fi.size(), m.featureInfo().size(), arch + " feature_info length");
        for (int i = 0; i < fi.size(); i++) {
            FeatureInfo f = m.featureInfo().get(i);
            JsonNode r = fi.get(i);
            assertEquals(r.get("module").asText(), f.module(), arch + " feature " + i + " module");
            assertEquals(r.get("num_chs").asInt(), f.channels(), arch + " feature " + i + " channels");
            assertEquals(r.get("reduction").asInt(), f.reduction(), arch + " feature " + i + " reduction");
            assertEquals(r.get("stage").asInt(), f.stage(), arch + " feature " + i + " stage");
        }
    }
}

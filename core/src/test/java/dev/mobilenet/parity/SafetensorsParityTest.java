package dev.mobilenet.parity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mobilenet.arch.ModelSpec;
import dev.mobilenet.model.MobileNet;
import dev.mobilenet.model.Weights;
import dev.mobilenet.tensor.Tensor;
import dev.mobilenet.testing.FixtureWeights;
import dev.mobilenet.testing.Golden;
import dev.mobilenet.testing.FixtureDir;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A timm-style safetensors state dict (F16 weights, I64 counters) loads strictly and reproduces timm's logits. */
class SafetensorsParityTest {

    private static JsonNode fileCase() {
        for (JsonNode c : Fixtures.MANIFEST.get("cases")) {
            if (c.has("weights_file")) {
                return c;
            }
        }
        throw new AssertionError("no safetensors case in the manifest");
    }

    @Test
    void fp16StateDictGivesTimmLogits() {
        JsonNode c = fileCase();
        MobileNet m = MobileNet.create(ModelSpec.parse(c.get("model").asText()), c.get("num_classes").asInt(), 0L);
        Weights.load(m, Fixtures.DIR.resolve(c.get("weights_file").asText()));
        Tensor x = FixtureWeights.input(c.get("seed").asLong(), FixtureDir.ints(c.get("input")));
        Tensor y = m.compile().newSession().logits(x);
        Golden.assertClose("logits", Fixtures.outputs(c).get("logits").floats(), y.data(), TimmParityTest.RTOL);
    }

    @Test
    void savedWeightsReloadBitForBit(@TempDir Path dir) {
        JsonNode c = fileCase();
        ModelSpec spec = ModelSpec.parse(c.get("model").asText());
        MobileNet a = MobileNet.create(spec, 10, 3L);
        a.bn1.numBatchesTracked[0] = 42;
        Path f = dir.resolve("w.safetensors");
        Weights.save(a, f);
        MobileNet b = MobileNet.create(spec, 10, 4L);
        Weights.load(b, f);
        a.stateDict().forEach((k, p) -> {
            if (p.isCounter()) {
                assertEquals(p.counter()[0], b.stateDict().get(k).counter()[0], k);
            } else {
                assertTrue(java.util.Arrays.equals(p.data(), b.stateDict().get(k).data()), k);
            }
        });
        assertEquals(42, b.bn1.numBatchesTracked[0]);
    }
}

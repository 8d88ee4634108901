package dev.mobilenet.image;

import dev.mobilenet.preprocess.Interpolation;
import dev.mobilenet.preprocess.PreprocessConfig;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mobilenet.arch.PretrainedCfg;
import dev.mobilenet.arch.Registry;
import dev.mobilenet.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** The full eval tensor against timm's {@code create_transform(**resolve_data_config(...))}: bit for bit. */
class EvalParityTest {

    @TestFactory
    Stream<DynamicTest> evalTensorsLikeTimm() {
        return Fixtures.cases("eval", "expected", c -> {
            String name = c.get("expected").asText();
            PreprocessConfig cfg = config(c);
            Tensor actual = new Preprocessor(cfg).apply(Fixtures.decode(c.get("image").asText()));
            assertExact(name + " (" + cfg + ")", Fixtures.tensor(name), actual);
        });
    }

    /** 640x480 JPEGs, landscape and portrait, through six configs; CRC-32 of timm's float32 bytes. */
    @TestFactory
    Stream<DynamicTest> photoSizedJpegsMatchTimmChecksums() {
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode c : Fixtures.manifest().get("eval_sweep")) {
            PreprocessConfig cfg = config(c);
            String image = c.get("image").asText();
            tests.add(DynamicTest.dynamicTest(image + " " + cfg, () -> {
                float[] x = new Preprocessor(cfg).apply(Fixtures.decode(image)).data();
                java.nio.ByteBuffer bytes = java.nio.ByteBuffer.allocate(x.length * 4)
                        .order(java.nio.ByteOrder.LITTLE_ENDIAN);
                double sum = 0;
                for (float v : x) {
                    bytes.putFloat(v);
                    sum += v;
                }
                java.util.zip.CRC32 crc = new java.util.zip.CRC32();
                crc.update(bytes.array());
                assertEquals(c.get("crc32").asLong(), crc.getValue(), image + " " + cfg + ": sum "
                        + sum + ", timm's " + c.get("sum").asDouble());
            }));
        }
        return tests.stream();
    }

    @Test
    void pretrainedConfigGivesTimmsTransform() {
        JsonNode m = Fixtures.manifest().get("model_eval");
        PretrainedCfg p = Registry.resolve(m.get("model").asText()).pretrained().orElseThrow();
        PreprocessConfig cfg = p.preprocess();
        JsonNode t = m.get("config");
        assertEquals(t.get("input_size").get(1).asInt(), cfg.height());
        assertEquals(t.get("input_size").get(2).asInt(), cfg.width());
        assertEquals(t.get("crop_pct").asDouble(), cfg.cropPct());
        assertEquals(t.get("crop_mode").asText(), cfg.cropMode());
        assertEquals(t.get("interpolation").asText(), cfg.interpolation().timmName());
        assertArrayEquals(floats(t.get("mean")), cfg.mean());
        assertArrayEquals(floats(t.get("std")), cfg.std());
        Tensor actual = new Preprocessor(cfg).apply(Fixtures.decode(m.get("image").asText()));
        assertExact(m.get("model").asText(), Fixtures.tensor(m.get("expected").asText()), actual);
    }

    @Test
    void pretrainedConfigsResolveLikeTimm() {
        for (JsonNode c : Fixtures.manifest().get("model_configs")) {
            String model = c.get("model").asText();
            boolean test = c.get("use_test_size").asBoolean();
            PretrainedCfg p = Registry.resolve(model).pretrained().orElseThrow();
            PreprocessConfig cfg = test ? p.testOrDefault() : p.preprocess();
            JsonNode t = c.get("config");
            String what = model + (test ? " (test size)" : "") + ": " + cfg;
            PreprocessConfig expected = new PreprocessConfig(t.get("input_size").get(1).asInt(),
                    t.get("input_size").get(2).asInt(), t.get("crop_pct").asDouble(), t.get("crop_mode").asText(),
                    Interpolation.fromTimm(t.get("interpolation").asText()), floats(t.get("mean")),
                    floats(t.get("std")));
            assertEquals(expected, cfg, what);
        }
    }

    @Test
    void writesIntoABatchAtAnOffset() {
        PreprocessConfig cfg = new PreprocessConfig(40, 48, 0.9, "center", Interpolation.BICUBIC,
                new float[] {0.485f, 0.456f, 0.406f}, new float[] {0.229f, 0.224f, 0.225f});
        Preprocessor pre = new Preprocessor(cfg);
        RgbImage a = Fixtures.decode("src_255x171.png");
        RgbImage b = Fixtures.decode("eval_171x255.png");
        float[] batch = new float[2 * pre.outputSize() + 5];
        pre.apply(a, batch, 0);
        pre.apply(b, batch, pre.outputSize());
        float[] second = new float[pre.outputSize()];
        System.arraycopy(batch, pre.outputSize(), second, 0, second.length);
        assertArrayEquals(pre.apply(b).data(), second);
        assertEquals(0f, batch[batch.length - 1]);
    }

    /** A case's preprocessing, as timm's resolved data config. */
    private static PreprocessConfig config(JsonNode c) {
        return new PreprocessConfig(c.get("height").asInt(), c.get("width").asInt(), c.get("crop_pct").asDouble(),
                c.get("crop_mode").asText(), Interpolation.fromTimm(c.get("interpolation").asText()),
                floats(c.get("mean")), floats(c.get("std")));
    }

    static float[] floats(JsonNode a) {
        float[] f = new float[a.size()];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) a.get(i).asDouble();
        }
        return f;
    }

    /** Exact equality, reporting the first values and the largest difference on failure. */
    static void assertExact(String what, Tensor expected, Tensor actual) {
        assertArrayEquals(expected.shape(), actual.shape(), what + " shape");
        float[] e = expected.data();
        float[] a = actual.data();
        int worst = 0;
        int bad = 0;
        for (int i = 0; i < e.length; i++) {
            if (Float.floatToIntBits(e[i]) != Float.floatToIntBits(a[i])) {
                bad++;
                if (Math.abs(e[i] - a[i]) > Math.abs(e[worst] - a[worst])) {
                    worst = i;
                }
            }
        }
        if (bad == 0) {
            return;
        }
        StringBuilder sb = new StringBuilder(what).append(": ").append(bad).append(" of ").append(e.length)
                .append(" values differ\n");
        for (int i = 0; i < Math.min(5, e.length); i++) {
            sb.append(String.format(Locale.ROOT, "  [%d] expected %.9g got %.9g%n", i, e[i], a[i]));
        }
        sb.append(String.format(Locale.ROOT, "  max |diff| %.3g at [%d]: expected %.9g got %.9g%n",
                Math.abs(e[worst] - a[worst]), worst, e[worst], a[worst]));
        fail(sb.toString());
    }
}

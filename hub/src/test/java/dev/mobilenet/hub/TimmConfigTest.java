package dev.mobilenet.hub;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mobilenet.MobileNetException;
import dev.mobilenet.arch.Labels;
import dev.mobilenet.arch.PretrainedCfg;
import dev.mobilenet.arch.Registry;
import dev.mobilenet.preprocess.Interpolation;
import dev.mobilenet.preprocess.PreprocessConfig;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TimmConfigTest {
    @TempDir
    Path dir;

    static byte[] fixture(String name) throws IOException {
        try (InputStream in = TimmConfigTest.class.getResourceAsStream("/hub-configs/" + name + ".json")) {
            if (in == null) {
                throw new IllegalStateException("missing fixture " + name + " (tools/make_hub_configs.py)");
            }
            return in.readAllBytes();
        }
    }

    static TimmConfig parse(String json) {
        return TimmConfig.parse(json.getBytes(StandardCharsets.UTF_8), "config.json");
    }

    static void assertBad(String json, String expected) {
        MobileNetException e = assertThrows(MobileNetException.class, () -> parse(json).merge(Optional.empty()));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
        assertEquals(1, e.getMessage().lines().count(), e.getMessage());
    }

    /** timm's own config.json for each of the 23 tags agrees with the registry, field by field. */
    @Test
    void timmsHubConfigsAgreeWithTheRegistry() throws IOException {
        assertEquals(23, Registry.PRETRAINED.size());
        for (PretrainedCfg reg : Registry.PRETRAINED) {
            TimmConfig hub = TimmConfig.parse(fixture(reg.name()), reg.name());
            assertEquals(Optional.of(reg.arch()), hub.architecture(), reg.name());
            assertEquals(Optional.of(reg.tag()), hub.pretrainedCfg().tag(), reg.name());
            assertEquals(Optional.of(reg.numClasses()), hub.numClasses(), reg.name());
            assertEquals(Optional.of(new TimmConfig.InputSize(3, reg.preprocess().height(),
                    reg.preprocess().width())), hub.pretrainedCfg().inputSize(), reg.name());
            ModelConfig fromHub = hub.merge(Optional.empty());
            ModelConfig fromRegistry = ModelConfig.of(reg);
            PretrainedCfg a = fromHub.toPretrainedCfg();
            PretrainedCfg b = fromRegistry.toPretrainedCfg();
            assertEquals(b.arch(), a.arch());
            assertEquals(b.tag(), a.tag());
            assertEquals(b.numClasses(), a.numClasses(), reg.name());
            assertEquals(b.preprocess(), a.preprocess(), reg.name());
            assertEquals(b.test(), a.test(), reg.name());
            assertEquals(reg.preprocess(), a.preprocess(), reg.name());
            assertEquals(reg.test(), a.test(), reg.name());
            assertEquals("center", fromHub.preprocess().cropMode());
            assertEquals(reg.numClasses(), fromHub.labels().size(), reg.name());
            assertEquals(fromRegistry.labels(), fromHub.labels());
            assertEquals(Optional.of(List.of("conv_stem")), hub.pretrainedCfg().firstConv());
        }
    }

    @Test
    void hubValuesWinAndTheRegistryFillsGaps() {
        PretrainedCfg reg = Registry.resolve("mobilenetv3_large_100.ra_in1k").pretrained().orElseThrow();
        TimmConfig hub = parse("{\"architecture\": \"mobilenetv3_large_100\", \"pretrained_cfg\": {"
                + "\"crop_pct\": 0.95, \"interpolation\": \"bilinear\", \"input_size\": [3, 256, 256],"
                + " \"crop_mode\": \"squash\"}}");
        ModelConfig m = hub.merge(Optional.of(reg));
        assertEquals(0.95, m.preprocess().cropPct());
        assertEquals(Interpolation.BILINEAR, m.preprocess().interpolation());
        assertEquals(256, m.preprocess().height());
        assertEquals("squash", m.preprocess().cropMode());
        assertEquals(Optional.of("ra_in1k"), m.tag(), "from the registry");
        assertEquals(1000, m.numClasses(), "from the registry");
        assertArrayEquals(reg.preprocess().mean(), m.preprocess().mean());
        assertEquals("mobilenetv3_large_100.ra_in1k", m.name());
        assertEquals(Labels.of(reg).orElseThrow(), m.labels());
    }

    @Test
    void topLevelNumClassesOverridesPretrainedCfgAsInTimm() {
        TimmConfig c = parse("{\"architecture\": \"mobilenetv2_100\", \"num_classes\": 10,"
                + " \"pretrained_cfg\": {\"num_classes\": 1000}}");
        assertEquals(Optional.of(10), c.effectiveNumClasses());
        assertEquals(10, c.merge(Optional.empty()).numClasses());
        assertEquals(List.of(), c.merge(Optional.empty()).labels(), "no label set has 10 classes");
    }

    @Test
    void labelNamesWithDescriptionsOrBuiltInLemmas() {
        ModelConfig described = parse("{\"architecture\": \"mobilenetv2_100\", \"num_classes\": 2,"
                + " \"label_names\": [\"cat\", \"dog\"], \"label_descriptions\": {\"cat\": \"a cat\"}}")
                .merge(Optional.empty());
        assertEquals(List.of(new Labels.Label("cat", "a cat"), new Labels.Label("dog", "dog")), described.labels());

        StringBuilder synsets = new StringBuilder();
        PretrainedCfg reg = Registry.resolve("mobilenetv2_100").pretrained().orElseThrow();
        List<Labels.Label> builtIn = Labels.of(reg).orElseThrow();
        for (int i = 0; i < builtIn.size(); i++) {
            synsets.append(i > 0 ? "," : "").append('"').append(builtIn.get(i).synset()).append('"');
        }
        ModelConfig m = parse("{\"architecture\": \"mobilenetv2_100\", \"label_names\": [" + synsets + "]}")
                .merge(Optional.of(reg));
        assertEquals(builtIn, m.labels());

        ModelConfig dict = parse("{\"architecture\": \"a\", \"num_classes\": 2,"
                + " \"label_names\": {\"1\": \"b\", \"0\": \"a\"}}").merge(Optional.empty());
        assertEquals(List.of("a", "b"), dict.labels().stream().map(Labels.Label::synset).toList());
    }

    @Test
    void legacySingleDictConfig() {
        TimmConfig c = parse("{\"architecture\": \"mobilenetv2_100\", \"num_features\": 1280, \"num_classes\": 5,"
                + " \"input_size\": [3, 192, 192], \"labels\": [\"a\", \"b\", \"c\", \"d\", \"e\"]}");
        ModelConfig m = c.merge(Optional.empty());
        assertEquals(5, m.numClasses());
        assertEquals(192, m.preprocess().width());
        assertEquals(Optional.of(1280), m.numFeatures());
        assertEquals(5, m.labels().size());
    }

    @Test
    void hostileInputsFailWithOneLine() {
        assertBad("", "empty, expected a JSON object");
        assertBad("{\"architecture\": \"x\"", "not valid JSON");
        assertBad("[1, 2]", "expected a JSON object");
        assertBad("{\"a\": 1} {\"b\": 2}", "trailing data");
        assertBad("{\"architecture\": \"x\", \"architecture\": \"y\"}", "Duplicate field");
        assertBad("{\"architecture\": 5}", "'architecture' must be a string, not a number");
        assertBad("{\"architecture\": \"x\", \"pretrained_cfg\": []}", "'pretrained_cfg' must be an object");
        assertBad("{\"architecture\": \"x\", \"pretrained_cfg\": {\"crop_pct\": \"0.9\"}}",
                "'pretrained_cfg.crop_pct' must be a number, not a string");
        assertBad("{\"architecture\": \"x\", \"pretrained_cfg\": {\"crop_pct\": -1}}", "must be in (0, 4]");
        assertBad("{\"architecture\": \"x\", \"pretrained_cfg\": {\"input_size\": [3, 224]}}",
                "'pretrained_cfg.input_size' must be a list [channels, height, width]");
        assertBad("{\"architecture\": \"x\", \"pretrained_cfg\": {\"input_size\": [3, -1, 224]}}",
                "sides 1-16384");
        assertBad("{\"architecture\": \"x\", \"pretrained_cfg\": {\"input_size\": [3, 1e9, 224]}}",
                "sides 1-16384");
        assertBad("{\"architecture\": \"x\", \"num_classes\": 1.5}", "'num_classes' must be a whole number");
        assertBad("{\"architecture\": \"x\", \"num_classes\": 99999999999}", "must be between 0 and");
        assertBad("{\"architecture\": \"x\", \"pretrained_cfg\": {\"mean\": [0.5, \"a\", 0.5]}}",
                "'pretrained_cfg.mean[1]' must be a number");
        assertBad("{\"architecture\": \"x\", \"pretrained_cfg\": {\"std\": [0.5, 0, 0.5]}}", "must be positive");
        assertBad("{\"architecture\": \"x\", \"pretrained_cfg\": {\"mean\": [0.5, 0.5]}}",
                "mean and std need 3 values");
        assertBad("{\"architecture\": \"x\", \"label_names\": 7}", "'label_names' must be a list or an object");
        assertBad("{\"architecture\": \"x\", \"label_names\": {\"0\": \"a\", \"5\": \"b\"}}",
                "keys must be the class indices 0-1");
        assertBad("{\"architecture\": \"x\", \"label_names\": {\"0\": \"a\", \"00\": \"b\"}}", "class index 0 twice");
        assertBad("{\"architecture\": \"x\", \"num_classes\": 3, \"label_names\": [\"a\"]}",
                "label_names has 1 entries but the model has 3 classes");
        assertBad("{\"num_classes\": 3}", "names no architecture");
    }

    @Test
    void architectureMustMatchTheRegistry() {
        PretrainedCfg reg = Registry.resolve("mobilenetv2_100").pretrained().orElseThrow();
        MobileNetException e = assertThrows(MobileNetException.class,
                () -> parse("{\"architecture\": \"resnet50\"}").merge(Optional.of(reg)));
        assertTrue(e.getMessage().contains("'resnet50'") && e.getMessage().contains("mobilenetv2_100"),
                e.getMessage());
    }

    @Test
    void fileTooLargeOrMissing() throws IOException {
        Path big = dir.resolve("config.json");
        Files.write(big, new byte[(int) TimmConfig.MAX_BYTES + 1]);
        MobileNetException e = assertThrows(MobileNetException.class, () -> TimmConfig.read(big));
        assertTrue(e.getMessage().contains("larger than 16 MiB"), e.getMessage());
        assertThrows(MobileNetException.class, () -> TimmConfig.read(dir.resolve("none.json")));
    }

    @Test
    void nonSquareInputIsKeptAndOnlyRgbIsAccepted() {
        ModelConfig m = parse("{\"architecture\": \"x\", \"pretrained_cfg\": {\"input_size\": [3, 224, 160]}}")
                .merge(Optional.empty());
        assertEquals(160, m.preprocess().width());
        assertEquals(224, m.toPretrainedCfg().preprocess().height());
        assertBad("{\"architecture\": \"x\", \"pretrained_cfg\": {\"input_size\": [1, 224, 224], \"mean\": [0.5],"
                + " \"std\": [0.5]}}", "input_size has 1 channels; these MobileNets take 3 (RGB)");
        assertBad("{\"architecture\": \"x\", \"pretrained_cfg\": {\"interpolation\": \"cubic\"}}",
                "config.json: unknown interpolation 'cubic'");
        assertBad("{\"architecture\": \"x\", \"pretrained_cfg\": {\"crop_mode\": \"fit\"}}",
                "config.json: unknown crop mode 'fit'");
    }

    @Test
    void writtenConfigsReadBackEqual() throws IOException {
        for (PretrainedCfg reg : Registry.PRETRAINED) {
            ModelConfig c = ModelConfig.of(reg);
            assertEquals(c, TimmConfig.parse(TimmConfig.json(c), reg.name()).merge(Optional.empty()), reg.name());
        }
        ModelConfig run = new ModelConfig("mobilenetv3_small_050", Optional.empty(), 3, Optional.of(1024),
                new PreprocessConfig(96, 80, 1.0, "squash", Interpolation.BILINEAR, new float[] {0.5f, 0.25f, 0.125f},
                        new float[] {0.229f, 0.224f, 0.225f}), Optional.empty(),
                List.of(new Labels.Label("circle", "circle"), new Labels.Label("n01440764", "tench"),
                        new Labels.Label("star", "star")));
        Path file = dir.resolve("config.json");
        TimmConfig.write(run, file);
        TimmConfig read = TimmConfig.read(file);
        assertEquals(run, read.merge(Optional.empty()));
        assertEquals(Optional.of(List.of("circle", "n01440764", "star")), read.labelNames());
        assertEquals(Optional.of(Map.of("n01440764", "tench")), read.labelDescriptions());
        assertEquals(Optional.of(3), read.numClasses());
    }
}

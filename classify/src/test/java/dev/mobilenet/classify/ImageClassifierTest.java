package dev.mobilenet.classify;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mobilenet.MobileNetException;
import dev.mobilenet.arch.Labels;
import dev.mobilenet.arch.Registry;
import dev.mobilenet.hub.HubSettings;
import dev.mobilenet.hub.HubStub;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The classifier against timm's answers: pretrained from the local Hub imitation (the three-line form, through the
 * cache the environment names), or from a weights file; one image at a time, from bytes, and streamed in batches.
 */
class ImageClassifierTest {
    @TempDir
    Path dir;

    private static void assertTopMatchesTimm(JsonNode want, List<Top> got, List<String> labels) {
        assertTrue(got.size() == 5 || got.size() == 10, "5 or 10 classes, got " + got.size());
        for (int k = 0; k < got.size(); k++) {
            String what = want.get("model").asText() + " " + want.get("image").asText() + " rank " + (k + 1);
            int index = want.get("top_index").get(k).asInt();
            assertEquals(index, got.get(k).index(), what);
            double p = want.get("top_probability").get(k).asDouble();
            assertEquals(p, got.get(k).probability(), 1e-4 * Math.max(p, 1e-3), what);
            assertEquals(labels.get(index), got.get(k).label(), what);
        }
    }

    private static void assertPreLogitsMatchTimm(JsonNode want, float[] e) {
        assertEquals(want.get("pre_logits_dim").asInt(), e.length);
        double sum = 0;
        for (float v : e) {
            sum += v;
        }
        double s = want.get("pre_logits_sum").asDouble();
        assertEquals(s, sum, 1e-4 * Math.max(1, Math.abs(s)), "pre-logits sum of " + want.get("image"));
        for (int j = 0; j < 16; j++) {
            double v = want.get("pre_logits_head").get(j).asDouble();
            assertEquals(v, e[j], 1e-4 * Math.max(1, Math.abs(v)), "pre-logits " + j);
        }
    }

    private static List<String> imagenet(String name) {
        return Labels.of(Registry.resolve(name).pretrained().orElseThrow()).orElseThrow().stream()
                .map(Labels.Label::name).toList();
    }

    @Test
    void pretrainedInThreeLinesGivesTimmsClasses() throws IOException {
        JsonNode first = PredictFixtures.cases().get(0);
        String name = first.get("model").asText();
        List<JsonNode> cases = PredictFixtures.cases(name);
        HubSettings env = HubSettings.fromEnvironment();
        assertTrue(env.offline(), "the tests run with HF_HUB_OFFLINE=1 (classify/pom.xml)");
        deleteTree(env.cacheDir());
        assertThrows(MobileNetException.class, () -> ImageClassifier.pretrained(name), "offline and not cached");
        try (HubStub stub = HubStub.start()) {
            stub.lfs("timm/" + name, "model.safetensors", Files.readAllBytes(PredictFixtures.weights(dir, first)))
                    .regular("timm/" + name, "config.json", PredictFixtures.hubConfig(name));
            LoadedModel m = ModelLoader.load(ModelRequest.of(name)
                    .withHub(env.withEndpoint(stub.endpoint()).withOffline(false)));
            assertEquals(name, m.name());
            assertEquals(1000, m.numClasses());
            assertEquals(imagenet(name), m.labels());
            assertTrue(m.weights().orElseThrow().startsWith(env.cacheDir()), "downloaded into the cache");
        }
        try (ImageClassifier c = ImageClassifier.pretrained(name)) {
            for (JsonNode want : cases) {
                List<Top> top = c.classify(PredictFixtures.image(want));
                assertTopMatchesTimm(want, top, imagenet(name));
                assertEquals(top, c.classify(Files.readAllBytes(PredictFixtures.image(want))), "bytes as the file");
                assertPreLogitsMatchTimm(want, c.embed(PredictFixtures.image(want)));
            }
        }
    }

    @Test
    void streamingInBatchesGivesTheSameBitsAsOneImageAtATime() throws IOException {
        for (String name : PredictFixtures.cases().stream().map(c -> c.get("model").asText()).distinct().toList()) {
            List<JsonNode> cases = PredictFixtures.cases(name);
            Path w = PredictFixtures.weights(dir, cases.get(0));
            LoadedModel m = ModelLoader.load(ModelRequest.of(name).withWeights(w));
            List<Path> files = new ArrayList<>();
            cases.forEach(c -> files.add(PredictFixtures.image(c)));
            List<List<Top>> one = new ArrayList<>();
            List<float[]> oneEmb = new ArrayList<>();
            try (ImageClassifier c = ImageClassifier.open(m, 1, 1)) {
                for (int i = 0; i < files.size(); i++) {
                    one.add(c.classify(files.get(i), 10));
                    oneEmb.add(c.embed(Files.readAllBytes(files.get(i))));
                    assertTopMatchesTimm(cases.get(i), one.get(i), imagenet(name));
                    assertPreLogitsMatchTimm(cases.get(i), oneEmb.get(i));
                }
            }
            for (int threads = 1; threads <= 3; threads++) {
                List<ImageClassifier.Outcome> got = new ArrayList<>();
                List<ImageClassifier.Outcome> emb = new ArrayList<>();
                try (ImageClassifier c = ImageClassifier.open(m, threads, 2)) {
                    c.classify(files, 10, got::add);
                    c.embed(files, emb::add);
                }
                assertEquals(files.size(), got.size());
                for (int i = 0; i < files.size(); i++) {
                    ImageClassifier.Prediction p = assertInstanceOf(ImageClassifier.Prediction.class, got.get(i));
                    assertEquals(files.get(i), p.file());
                    assertEquals(one.get(i), p.top(), name + " " + files.get(i) + " on " + threads + " threads");
                    assertArrayEquals(oneEmb.get(i),
                            assertInstanceOf(ImageClassifier.Embedding.class, emb.get(i)).vector());
                }
            }
        }
    }

    @Test
    void aFileThatCannotBeDecodedIsAFailureAndTheOthersRun() throws IOException {
        JsonNode c = PredictFixtures.cases().get(0);
        LoadedModel m = ModelLoader.load(ModelRequest.of(c.get("model").asText())
                .withWeights(PredictFixtures.weights(dir, c)));
        Path bad = Files.writeString(dir.resolve("bad.png"), "not an image");
        List<ImageClassifier.Outcome> got = new ArrayList<>();
        try (ImageClassifier cl = ImageClassifier.open(m, 2, 2)) {
            cl.classify(List.of(bad, PredictFixtures.image(c), bad), 5, got::add);
            MobileNetException e = assertThrows(MobileNetException.class, () -> cl.classify(bad));
            assertTrue(e.getMessage().contains("bad.png"), e.getMessage());
            assertThrows(MobileNetException.class, () -> cl.classify(new byte[] {1, 2, 3}));
            assertThrows(MobileNetException.class, () -> cl.classify(PredictFixtures.image(c), 0));
        }
        assertEquals(3, got.size());
        assertTrue(assertInstanceOf(ImageClassifier.Failure.class, got.get(0)).message().contains("bad.png"));
        assertTopMatchesTimm(c, assertInstanceOf(ImageClassifier.Prediction.class, got.get(1)).top(),
                imagenet(c.get("model").asText()));
        assertInstanceOf(ImageClassifier.Failure.class, got.get(2));
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}

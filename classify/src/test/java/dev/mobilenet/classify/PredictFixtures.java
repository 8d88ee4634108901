package dev.mobilenet.classify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mobilenet.arch.ModelSpec;
import dev.mobilenet.model.MobileNet;
import dev.mobilenet.model.Weights;
import dev.mobilenet.testing.FixtureWeights;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * timm's answers for the predict fixtures ({@code tools/make_predict_fixtures.py}): per model and image, the top-10
 * classes with their probabilities and the pre-logits (first 16 values and the sum), for weights made by the shared
 * generator {@code FixtureWeights} with the case's seed.
 */
final class PredictFixtures {
    static final Path IMAGES = Path.of("..", "image", "src", "test", "resources", "images");
    static final Path HUB_CONFIGS = Path.of("..", "hub", "src", "test", "resources", "hub-configs");

    private PredictFixtures() {
    }

    static List<JsonNode> cases() {
        try (InputStream in = PredictFixtures.class.getResourceAsStream("/predict/expected.json")) {
            List<JsonNode> out = new ArrayList<>();
            new ObjectMapper().readTree(in).forEach(out::add);
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<JsonNode> cases(String model) {
        return cases().stream().filter(c -> c.get("model").asText().equals(model)).toList();
    }

    static Path image(JsonNode c) {
        return IMAGES.resolve(c.get("image").asText());
    }

    /** The case's weights, saved as a timm state dict in {@code dir}. */
    static Path weights(Path dir, JsonNode c) {
        String name = c.get("model").asText();
        MobileNet net = MobileNet.create(ModelSpec.parse(name.substring(0, name.indexOf('.'))), 1000, 0L);
        FixtureWeights.apply(net, c.get("seed").asLong());
        Path w = dir.resolve(name + ".safetensors");
        Weights.save(net, w);
        return w;
    }

    static byte[] hubConfig(String name) throws IOException {
        return Files.readAllBytes(HUB_CONFIGS.resolve(name + ".json"));
    }
}

package dev.mobilenet.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mobilenet.arch.ModelSpec;
import dev.mobilenet.model.MobileNet;
import dev.mobilenet.tensor.Tensor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/** A folder of reference fixtures on the test classpath, found by its manifest.json, and that manifest. */
public record FixtureDir(Path dir, JsonNode manifest) {

    /** @param manifest the manifest's classpath resource, e.g. {@code /fixtures/manifest.json} */
    public static FixtureDir of(String manifest) {
        Path file;
        try {
            file = Path.of(FixtureDir.class.getResource(manifest).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        try {
            return new FixtureDir(file.getParent(), new ObjectMapper().readTree(file.toFile()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A JSON array of integers. */
    public static int[] ints(JsonNode array) {
        int[] out = new int[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).asInt();
        }
        return out;
    }

    /** A manifest case's model ({@code model}, {@code num_classes}) with the generator's weights for its seed. */
    public static MobileNet model(JsonNode c) {
        MobileNet model = MobileNet.create(ModelSpec.parse(c.get("model").asText()), c.get("num_classes").asInt(), 0L);
        FixtureWeights.apply(model, c.get("seed").asLong());
        return model;
    }

    /** A manifest case's input: the generator's values for its seed, in its {@code input} shape. */
    public static Tensor input(JsonNode c) {
        return FixtureWeights.input(c.get("seed").asLong(), ints(c.get("input")));
    }

    /** The elements of a JSON array (a manifest's {@code cases}), for {@code DynamicTest.stream}. */
    public static Stream<JsonNode> elements(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false);
    }
}

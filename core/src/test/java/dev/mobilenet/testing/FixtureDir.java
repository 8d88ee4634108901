package dev.mobilenet.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Path;

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
}

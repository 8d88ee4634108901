package dev.mobilenet.parity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mobilenet.io.NpyArray;
import dev.mobilenet.io.Npz;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Map;

/** Access to the timm reference fixtures made by tools/make_fixtures.py. */
final class Fixtures {
    private Fixtures() {
    }

    static final Path DIR = locate();
    static final JsonNode MANIFEST = readManifest();

    private static Path locate() {
        try {
            return Path.of(Fixtures.class.getResource("/fixtures/manifest.json").toURI()).getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode readManifest() {
        try {
            return new ObjectMapper().readTree(DIR.resolve("manifest.json").toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Map<String, NpyArray> outputs(JsonNode c) {
        return Npz.read(DIR.resolve(c.get("file").asText()));
    }

    static int[] ints(JsonNode array) {
        int[] out = new int[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).asInt();
        }
        return out;
    }
}

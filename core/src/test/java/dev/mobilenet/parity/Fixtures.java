package dev.mobilenet.parity;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mobilenet.io.NpyArray;
import dev.mobilenet.io.Npz;
import dev.mobilenet.testing.FixtureDir;
import java.nio.file.Path;
import java.util.Map;

/** Access to the timm reference fixtures made by tools/make_fixtures.py. */
final class Fixtures {
    private Fixtures() {
    }

    private static final FixtureDir FILES = FixtureDir.of("/fixtures/manifest.json");
    static final Path DIR = FILES.dir();
    static final JsonNode MANIFEST = FILES.manifest();

    static Map<String, NpyArray> outputs(JsonNode c) {
        return Npz.read(DIR.resolve(c.get("file").asText()));
    }
}

package dev.mobilenet.onnxruntime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mobilenet.io.NpyArray;
import dev.mobilenet.io.Npz;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;

/** The timm fixtures from core's test-jar, copied out of the jar where a file path is needed. */
final class ReferenceFixtures {
    private ReferenceFixtures() {
    }

    static final JsonNode MANIFEST = readManifest();
    private static final Path TMP = tempDir();

    private static JsonNode readManifest() {
        try (InputStream in = ReferenceFixtures.class.getResourceAsStream("/fixtures/manifest.json")) {
            if (in == null) {
                throw new IllegalStateException("fixtures/manifest.json is not on the test classpath");
            }
            return new ObjectMapper().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path tempDir() {
        try {
            Path d = Files.createTempDirectory("mobilenet-fixtures");
            d.toFile().deleteOnExit();
            return d;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Map<String, NpyArray> outputs(JsonNode c) {
        String file = c.get("file").asText();
        Path p = TMP.resolve(file);
        try (InputStream in = ReferenceFixtures.class.getResourceAsStream("/fixtures/" + file)) {
            Files.copy(in, p, StandardCopyOption.REPLACE_EXISTING);
            p.toFile().deleteOnExit();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Npz.read(p);
    }
}

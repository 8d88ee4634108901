package dev.mobilenet.image.webp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** The WebP fixtures written by tools/make_webp_fixtures.py (test resources under /webp). */
public final class WebpFixtures {
    private WebpFixtures() {
    }

    public static JsonNode manifest() {
        try {
            return new ObjectMapper().readTree(bytes("manifest.json"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static byte[] bytes(String name) {
        try (InputStream in = WebpFixtures.class.getResourceAsStream("/webp/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing fixture " + name + " (run tools/make_webp_fixtures.py)");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

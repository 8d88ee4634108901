package dev.mobilenet.image.webp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Random;

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

    private static final int[] SPREADS = {0, 1, 3, 8, 20, 60, 128};

    /** The {@code i}-th of the twin tests' {@link #plane} spreads in turn, from flat to every byte value. */
    static int spread(int i) {
        return SPREADS[i % SPREADS.length];
    }

    /**
     * {@code size} seeded bytes around one random level, each within {@code spread} of it (clamped to 0..255): from
     * flat planes to every byte value, for the twin tests.
     */
    static byte[] plane(Random rnd, int size, int spread) {
        byte[] b = new byte[size];
        int base = rnd.nextInt(256);
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) Math.max(0, Math.min(255, base + rnd.nextInt(2 * spread + 1) - spread));
        }
        return b;
    }
}

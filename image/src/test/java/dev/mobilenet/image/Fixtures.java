package dev.mobilenet.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mobilenet.io.Npy;
import dev.mobilenet.tensor.Tensor;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.function.ThrowingConsumer;

/** The Pillow/timm fixtures written by tools/make_image_fixtures.py. */
final class Fixtures {
    private static JsonNode manifest;

    private Fixtures() {
    }

    static synchronized JsonNode manifest() {
        if (manifest == null) {
            try {
                manifest = new ObjectMapper().readTree(bytes("manifest.json"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return manifest;
    }

    /** One dynamic test per case of a manifest section, named by the case's {@code nameField}. */
    static Stream<DynamicTest> cases(String section, String nameField, ThrowingConsumer<JsonNode> check) {
        return DynamicTest.stream(manifest().get(section).iterator(), c -> c.get(nameField).asText(), check);
    }

    static byte[] bytes(String name) {
        try (InputStream in = Fixtures.class.getResourceAsStream("/images/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing fixture " + name + " (run tools/make_image_fixtures.py)");
            }
            byte[] b = in.readAllBytes();
            if (name.endsWith(".gz")) {
                try (InputStream g = new GZIPInputStream(new java.io.ByteArrayInputStream(b))) {
                    return g.readAllBytes();
                }
            }
            return b;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static RgbImage decode(String name) {
        return new ImageDecoder().decode(bytes(name), name);
    }

    static Tensor tensor(String name) {
        return Npy.read(bytes(name), name).toTensor();
    }

    /** Largest and mean absolute difference of two byte images, and where the largest one is. */
    record Diff(int max, double mean, int worst) {
        static Diff of(byte[] expected, byte[] actual) {
            int max = 0;
            int worst = 0;
            long sum = 0;
            for (int i = 0; i < expected.length; i++) {
                int d = Math.abs((expected[i] & 0xff) - (actual[i] & 0xff));
                sum += d;
                if (d > max) {
                    max = d;
                    worst = i;
                }
            }
            return new Diff(max, (double) sum / expected.length, worst);
        }

        String describe(byte[] expected, byte[] actual, int width) {
            int px = worst / 3;
            return String.format(Locale.ROOT, "max |diff| %d, mean %.4f; worst at x=%d y=%d c=%d: expected %d got %d",
                    max, mean, px % width, px / width, worst % 3, expected[worst] & 0xff, actual[worst] & 0xff);
        }
    }
}

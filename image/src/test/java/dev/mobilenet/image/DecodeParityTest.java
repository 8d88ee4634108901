package dev.mobilenet.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** Decoded pixels against Pillow 9.4's {@code Image.open(f).convert('RGB')}. */
class DecodeParityTest {

    @TestFactory
    Stream<DynamicTest> decodesLikePillow() {
        return Fixtures.cases("decode", "file", DecodeParityTest::check);
    }

    private static void check(JsonNode c) {
        String file = c.get("file").asText();
        String kind = c.get("kind").asText();
        RgbImage img = Fixtures.decode(file);
        assertEquals(c.get("width").asInt(), img.width(), file + " width");
        assertEquals(c.get("height").asInt(), img.height(), file + " height");
        byte[] expected = Fixtures.bytes(c.get("expected").asText());
        Fixtures.Diff d = Fixtures.Diff.of(expected, img.rgb());
        String msg = file + ": " + d.describe(expected, img.rgb(), img.width());
        System.out.println("decode " + msg);
        switch (kind) {
            case "exact" -> assertEquals(0, d.max(), msg);
            // decoder differences: the same libjpeg arithmetic is expected, allow rounding noise only
            case "jpeg" -> assertTrue(d.mean() < 0.5 && d.max() <= 8, msg);
            default -> throw new IllegalStateException(kind);
        }
    }
}

package dev.mobilenet.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mobilenet.MobileNetException;
import dev.mobilenet.testing.FixtureDir;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The hand-crafted BMP/DIB, GIF, PNG and JPEG edge cases of tools/make_format_fixtures.py: the same pixels as
 * Pillow 9.4's {@code Image.open(path).convert('RGB')} (sha256 of the RGB bytes), or a one-line refusal where
 * Pillow refuses.
 */
class FormatEdgeCaseTest {

    private static final String GENERATOR = "tools/make_format_fixtures.py";

    static JsonNode manifest() {
        return TestResources.json("formats", "formats.json", GENERATOR);
    }

    static byte[] resource(String name) {
        return TestResources.bytes("formats", name, GENERATOR);
    }

    @TestFactory
    Stream<DynamicTest> decodesOrRefusesLikePillow() {
        return DynamicTest.stream(FixtureDir.elements(manifest().get("cases")), c -> c.get("file").asText(),
                FormatEdgeCaseTest::check);
    }

    private static void check(JsonNode c) {
        String file = c.get("file").asText();
        byte[] data = resource(file);
        if (c.get("expect").asText().equals("refused")) {
            MobileNetException e = assertThrows(MobileNetException.class,
                    () -> new ImageDecoder().decode(data, file), file + ": Pillow refuses it (" + c.get("pillow") + ")");
            assertTrue(e.getMessage().startsWith(file + ": "), e.getMessage());
            assertFalse(e.getMessage().contains("\n"), e.getMessage());
            System.out.println("refused " + e.getMessage() + "   [Pillow: " + c.get("pillow").asText() + "]");
            return;
        }
        RgbImage img;
        try {
            img = new ImageDecoder().decode(data, file);
        } catch (MobileNetException e) {
            fail(file + ": Pillow decodes it, we refuse: " + e.getMessage());
            return;
        }
        assertEquals(c.get("width").asInt(), img.width(), file + " width");
        assertEquals(c.get("height").asInt(), img.height(), file + " height");
        assertEquals(c.get("sha256").asText(), TestResources.sha256(img.rgb()), file + " pixels differ from Pillow's");
    }
}

package dev.mobilenet.image.webp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every file made by tools/make_webp_fixtures.py decodes to exactly the RGB (and RGBA) bytes Pillow 9.4 with
 * libwebp 1.2.4 gives, or is refused where Pillow refuses it.
 */
class WebpParityTest {
    static String sha256(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @TestFactory
    Stream<DynamicTest> decodesLikePillow() {
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode c : WebpFixtures.manifest().get("cases")) {
            String file = c.get("file").asText();
            tests.add(DynamicTest.dynamicTest(file + " (" + c.get("note").asText() + ")", () -> {
                byte[] data = WebpFixtures.bytes(file);
                if (c.has("error")) {
                    WebpException e = assertThrows(WebpException.class, () -> WebpDecoder.decode(data),
                            "Pillow refuses it: " + c.get("error").asText());
                    assertFalse(e.getMessage().contains("\n"), e.getMessage());
                    return;
                }
                WebpDecoder.Image img = WebpDecoder.decode(data);
                assertEquals(c.get("width").asInt(), img.width());
                assertEquals(c.get("height").asInt(), img.height());
                for (JsonNode s : c.get("samples")) {
                    int x = s.get(0).asInt();
                    int y = s.get(1).asInt();
                    int o = 3 * (y * img.width() + x);
                    String at = "pixel (" + x + ", " + y + ")";
                    assertEquals(s.get(2).asInt() + "," + s.get(3).asInt() + "," + s.get(4).asInt(),
                            (img.rgb()[o] & 0xff) + "," + (img.rgb()[o + 1] & 0xff) + "," + (img.rgb()[o + 2] & 0xff),
                            at);
                }
                assertEquals(c.get("rgb_sha256").asText(), sha256(img.rgb()), "RGB bytes");
                assertEquals("RGBA".equals(c.get("mode").asText()), img.alpha() != null, "mode " + c.get("mode"));
                if (c.has("rgba_sha256")) {
                    assertEquals(c.get("rgba_sha256").asText(), sha256(img.rgba()), "RGBA bytes");
                }
                assertTrue(img.rgb().length == 3 * img.width() * img.height());
            }));
        }
        return tests.stream();
    }
}

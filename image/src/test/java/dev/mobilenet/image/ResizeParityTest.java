package dev.mobilenet.image;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** Resizes against Pillow 9.4's {@code Image.resize}: every filter, up and down, one axis or both; exact. */
class ResizeParityTest {

    @TestFactory
    Stream<DynamicTest> resizesLikePillow() {
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode c : Fixtures.manifest().get("resize")) {
            String name = c.get("expected").asText();
            tests.add(DynamicTest.dynamicTest(name, () -> {
                RgbImage src = Fixtures.decode(c.get("source").asText());
                int w = c.get("width").asInt();
                int h = c.get("height").asInt();
                RgbImage out = Resize.resize(src, w, h, Interpolation.fromTimm(c.get("filter").asText()));
                byte[] expected = Fixtures.bytes(name);
                assertEquals(w, out.width());
                assertEquals(h, out.height());
                Fixtures.Diff d = Fixtures.Diff.of(expected, out.rgb());
                assertEquals(0, d.max(), name + ": " + d.describe(expected, out.rgb(), w));
            }));
        }
        return tests.stream();
    }

    @Test
    void sameSizeIsACopy() {
        RgbImage src = Fixtures.decode("png_rgb_3x7.png");
        for (Interpolation f : Interpolation.values()) {
            RgbImage out = Resize.resize(src, 3, 7, f);
            assertEquals(0, Fixtures.Diff.of(src.rgb(), out.rgb()).max());
        }
    }
}

package dev.mobilenet.image;

import dev.mobilenet.preprocess.Interpolation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** Resizes against Pillow 9.4's {@code Image.resize}: every filter, up and down, one axis or both; exact. */
class ResizeParityTest {

    @TestFactory
    Stream<DynamicTest> resizesLikePillow() {
        return Fixtures.cases("resize", "expected", c -> {
            String name = c.get("expected").asText();
            RgbImage src = Fixtures.decode(c.get("source").asText());
            int w = c.get("width").asInt();
            int h = c.get("height").asInt();
            RgbImage out = Resize.resize(src, w, h, Interpolation.fromTimm(c.get("filter").asText()));
            byte[] expected = Fixtures.bytes(name);
            assertEquals(w, out.width());
            assertEquals(h, out.height());
            Fixtures.Diff d = Fixtures.Diff.of(expected, out.rgb());
            assertEquals(0, d.max(), name + ": " + d.describe(expected, out.rgb(), w));
        });
    }

    /** 240 random crops of a 255x171 image resized to random sizes (many odd ratios); CRC-32s from Pillow. */
    @Test
    void randomSweepMatchesPillowChecksums() {
        JsonNode sweep = Fixtures.manifest().get("resize_sweep");
        RgbImage src = Fixtures.decode(sweep.get("source").asText());
        List<String> bad = new ArrayList<>();
        int n = 0;
        for (JsonNode c : sweep.get("cases")) {
            int x0 = c.get("x").asInt();
            int y0 = c.get("y").asInt();
            int w = c.get("w").asInt();
            int h = c.get("h").asInt();
            byte[] crop = new byte[w * h * 3];
            for (int y = 0; y < h; y++) {
                System.arraycopy(src.rgb(), ((y0 + y) * src.width() + x0) * 3, crop, y * w * 3, w * 3);
            }
            RgbImage out = Resize.resize(new RgbImage(w, h, crop), c.get("tw").asInt(), c.get("th").asInt(),
                    Interpolation.fromTimm(c.get("filter").asText()));
            CRC32 crc = new CRC32();
            crc.update(out.rgb());
            if (crc.getValue() != c.get("crc32").asLong()) {
                bad.add(c.toString());
            }
            n++;
        }
        assertEquals(240, n);
        assertTrue(bad.isEmpty(), () -> bad.size() + " of 240 resizes differ from Pillow, e.g. " + bad.get(0));
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

package dev.mobilenet.image;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mobilenet.preprocess.Interpolation;
import dev.mobilenet.preprocess.PreprocessConfig;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;

/** timm's eval tensor of decoded WebP files (lossy, and lossy with alpha): CRC-32 of timm's float32 bytes. */
class WebpEvalTest {
    @Test
    void evalTensorsOfWebpFilesMatchTimm() {
        JsonNode eval = dev.mobilenet.image.webp.WebpFixtures.manifest().get("eval");
        assertEquals(2, eval.size());
        for (JsonNode c : eval) {
            String file = c.get("file").asText();
            PreprocessConfig cfg = new PreprocessConfig(c.get("size").asInt(), c.get("size").asInt(),
                    c.get("crop_pct").asDouble(), c.get("crop_mode").asText(),
                    Interpolation.fromTimm(c.get("interpolation").asText()), EvalParityTest.floats(c.get("mean")),
                    EvalParityTest.floats(c.get("std")));
            RgbImage img = new ImageDecoder().decode(dev.mobilenet.image.webp.WebpFixtures.bytes(file), file);
            float[] x = new Preprocessor(cfg).apply(img).data();
            ByteBuffer bytes = ByteBuffer.allocate(x.length * 4).order(ByteOrder.LITTLE_ENDIAN);
            double sum = 0;
            for (float v : x) {
                bytes.putFloat(v);
                sum += v;
            }
            CRC32 crc = new CRC32();
            crc.update(bytes.array());
            assertEquals(c.get("crc32").asLong(), crc.getValue(), file + ": sum " + sum + ", timm's "
                    + c.get("sum").asDouble());
        }
    }
}

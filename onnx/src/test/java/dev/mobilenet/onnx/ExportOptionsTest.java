package dev.mobilenet.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mobilenet.MobileNetException;
import dev.mobilenet.arch.ModelSpec;
import dev.mobilenet.model.MobileNet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExportOptionsTest {
    private final MobileNet model = MobileNet.create(ModelSpec.parse("mobilenetv3_small_050"), 5, 0L);

    @Test
    void rejectsOldOpsetsAndSmallSizes() {
        MobileNetException e = assertThrows(MobileNetException.class,
                () -> OnnxExporter.export(model, ExportOptions.defaults(224).withOpset(12)));
        assertTrue(e.getMessage().startsWith("opset 12 is not supported"), e.getMessage());
        e = assertThrows(MobileNetException.class, () -> OnnxExporter.export(model, ExportOptions.defaults(31)));
        assertTrue(e.getMessage().contains("at least 32x32"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
    }

    @Test
    void metadataKeepsItsOrder() {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < 20; i++) {
            m.put("key" + (19 - i), Integer.toString(i));
        }
        ExportOptions o = ExportOptions.defaults(64).withMetadata(m);
        assertEquals(List.copyOf(m.keySet()), List.copyOf(o.metadata().keySet()));
        m.put("later", "x");
        assertEquals(20, o.metadata().size(), "a copy");
    }

    @Test
    void missingFolderFailsAndWritesNothing(@TempDir Path dir) {
        Path out = dir.resolve("nope/m.onnx");
        MobileNetException e = assertThrows(MobileNetException.class,
                () -> OnnxExporter.export(model, ExportOptions.defaults(64), out));
        assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
        assertFalse(Files.exists(out));
    }

    @Test
    void irVersionFollowsOpset() {
        assertTrue(OnnxExporter.irVersion(13) == 7 && OnnxExporter.irVersion(17) == 8
                && OnnxExporter.irVersion(21) == 10);
    }

    @Test
    void identicalTensorsAreStoredOnce() {
        OnnxGraph g = new OnnxGraph();
        String a = g.initializer("a.bias", new int[] {3}, new float[] {0f, 0f, 0f});
        String b = g.initializer("b.bias", new int[] {3}, new float[] {0f, 0f, 0f});
        String c = g.initializer("c.bias", new int[] {1, 3}, new float[] {0f, 0f, 0f});
        String d = g.initializer("a.bias", new int[] {3}, new float[] {0f, 1f, 0f});
        assertEquals("a.bias", a);
        assertEquals("a.bias", b, "same shape and content: stored once");
        assertEquals("c.bias", c, "same content, other shape: a tensor of its own");
        assertEquals("a.bias_1", d, "names stay unique");
    }

    @Test
    void exportIsDeterministic() {
        byte[] a = OnnxExporter.export(model, ExportOptions.defaults(64));
        byte[] b = OnnxExporter.export(model, ExportOptions.defaults(64));
        assertArrayEquals(a, b);
    }
}

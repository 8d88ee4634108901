package dev.mobilenet.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.mobilenet.arch.ModelSpec;
import dev.mobilenet.arch.Registry;
import dev.mobilenet.model.MobileNet;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every architecture's export passes ONNX's own checker (full_check, strict shape inference), at opset 13 and 17,
 * fixed and dynamic size, for each output kind, with deduplicated and used initializers. Needs Debian's
 * python3-onnx; .ci/run installs it, and under CI=true its absence is a failure, not a skip.
 */
class OnnxCheckerTest {
    @TempDir
    Path dir;

    static final List<String> OTHER_WIDTHS = List.of("mobilenetv1_050", "mobilenetv2_060", "mobilenetv3_large_060",
            "mobilenetv3_small_125", "tf_mobilenetv3_small_050", "mobilenetv1_075h");

    private static String python() {
        for (String p : new String[] {"/usr/bin/python3", "python3"}) {
            try {
                Process pr = new ProcessBuilder(p, "-c", "import onnx").redirectErrorStream(true).start();
                if (pr.waitFor(60, TimeUnit.SECONDS) && pr.exitValue() == 0) {
                    return p;
                }
            } catch (IOException | InterruptedException e) {
                // try the next interpreter
            }
        }
        return null;
    }

    @Test
    void everyExportPassesTheOnnxChecker() throws Exception {
        String py = python();
        if (py == null) {
            if ("true".equals(System.getenv("CI"))) {
                fail("python3 with the onnx package is required under CI (apt-get install python3-onnx)");
            }
            Assumptions.abort("python3-onnx is not installed");
        }
        List<String> files = new ArrayList<>();
        List<String> names = new ArrayList<>(Registry.ARCHITECTURES);
        names.addAll(OTHER_WIDTHS);
        int i = 0;
        for (String arch : names) {
            MobileNet m = MobileNet.create(ModelSpec.parse(arch), 10, 1L);
            ExportOptions.Output[] outs = ExportOptions.Output.values();
            ExportOptions o = new ExportOptions(i % 2 == 0 ? 17 : 13, 64, 48, i % 3 == 0, outs[i % outs.length],
                    Map.of("model_name", arch));
            Path f = dir.resolve(arch + ".onnx");
            OnnxExporter.export(m, o, f);
            files.add(f.toString());
            i++;
        }
        // Both hard-swish encodings (HardSwish from opset 14, HardSigmoid * x at 13) and both paddings. Debian's
        // onnx 1.12 checks up to opset 17; opsets 18-21 are covered by the ONNX Runtime tests.
        for (int opset : new int[] {13, 14, 16, 17}) {
            Path f = dir.resolve("tf_large_" + opset + ".onnx");
            OnnxExporter.export(MobileNet.create(ModelSpec.parse("tf_mobilenetv3_large_100"), 10, 1L),
                    new ExportOptions(opset, 97, 83, opset == 14, ExportOptions.Output.LOGITS, Map.of()), f);
            files.add(f.toString());
        }
        List<String> cmd = new ArrayList<>(List.of(py, Path.of("..", "tools", "check_onnx.py").toString()));
        cmd.addAll(files);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(600, TimeUnit.SECONDS), "checker timed out");
        assertEquals(0, p.exitValue(), out);
        assertEquals(files.size(), out.lines().filter(l -> l.startsWith("ok ")).count(), out);
    }
}

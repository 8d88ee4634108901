package dev.mobilenet.cli;

import static dev.mobilenet.cli.CliTest.assertCleanError;
import static dev.mobilenet.cli.CliTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code bench --train} on a small model and size: the JSON's fields, the comparison file, its errors. */
class BenchTrainTest {
    private static final String[] SMALL = {"bench", "--train", "--model", "mobilenetv3_small_050", "--batch", "3",
        "--img-size", "48", "--threads", "2", "--warmup-steps", "1", "--steps", "3", "--json"};

    @TempDir
    Path dir;

    @Test
    void jsonHasTheMeasurementsAndTheRatioToTheGivenReference() throws IOException {
        CliTest.Result r = run(SMALL);
        assertEquals(0, r.code(), r.err());
        JsonNode j = new ObjectMapper().readTree(r.out());
        assertEquals("train", j.get("bench").asText());
        assertEquals("mobilenetv3_small_050.lamb_in1k", j.get("model").asText());
        assertEquals(3, j.get("batch").asInt());
        assertEquals("48x48", j.get("img_size").asText());
        assertEquals(2, j.get("threads").asInt());
        assertEquals("momentum", j.get("opt").asText());
        assertEquals(3, j.get("step_ms").size());
        double ms = j.get("ms_per_image").asDouble();
        double[] steps = new double[3];
        for (int i = 0; i < 3; i++) {
            steps[i] = j.get("step_ms").get(i).asDouble();
            assertTrue(steps[i] > 0, r.out());
        }
        java.util.Arrays.sort(steps);
        assertEquals(steps[1] / 3, ms, 1e-3, "the median step over the batch: " + r.out());
        assertTrue(j.get("p90_ms").asDouble() >= ms, r.out());
        assertEquals(3000 / (ms * 3), j.get("images_per_second").asDouble(), 0.01 * j.get("images_per_second")
                .asDouble(), r.out());
        assertTrue(j.get("peak_heap_mb").asDouble() > 1, r.out());
        if (Files.isReadable(Path.of("/proc/self/status"))) {
            assertTrue(j.get("peak_rss_mb").asDouble() >= j.get("peak_heap_mb").asDouble() / 4, r.out());
        }
        double first = j.get("first_loss").asDouble();
        assertEquals(Math.log(1000), first, 1.0, "random init on 1000 classes starts near ln(1000): " + r.out());
        assertTrue(Double.isFinite(j.get("last_loss").asDouble()), r.out());
        assertFalse(j.has("ratio"));

        Path torch = dir.resolve("torch.json");
        Files.writeString(torch, """
                {"framework": "pytorch", "version": "1.13.0", "results": [
                  {"model": "mobilenetv3_small_100", "batch": 3, "img_size": 48, "threads": 2, "ms_per_image": 9.0},
                  {"model": "mobilenetv3_small_050", "batch": 32, "img_size": 48, "threads": 2, "ms_per_image": 1.0},
                  {"model": "mobilenetv3_small_050", "batch": 3, "img_size": [48, 48], "threads": 2,
                   "ms_per_image": 2.5, "p90_ms": 3.0, "peak_rss_mb": 100.0}]}
                """);
        String[] withCompare = java.util.Arrays.copyOf(SMALL, SMALL.length + 2);
        withCompare[SMALL.length] = "--compare";
        withCompare[SMALL.length + 1] = torch.toString();
        CliTest.Result c = run(withCompare);
        assertEquals(0, c.code(), c.err());
        JsonNode k = new ObjectMapper().readTree(c.out());
        assertEquals(2.5, k.get("reference").get("ms_per_image").asDouble());
        assertEquals("pytorch", k.get("reference").get("framework").asText());
        assertEquals(k.get("ms_per_image").asDouble() / 2.5, k.get("ratio").asDouble(), 1e-3);
        if (k.has("peak_rss_mb")) {
            assertEquals(k.get("peak_rss_mb").asDouble() / 100.0, k.get("peak_rss_ratio").asDouble(), 1e-3);
        }

        CliTest.Result t = run(java.util.Arrays.stream(withCompare).filter(a -> !a.equals("--json"))
                .toArray(String[]::new));
        assertEquals(0, t.code(), t.err());
        assertTrue(t.out().contains("ratio java/pytorch: "), t.out());
        assertTrue(t.out().startsWith("mobilenetv3_small_050.lamb_in1k training, batch 3, 48x48, 2 threads"),
                t.out());
    }

    @Test
    void badComparisonFilesAndOptionsAreOneLine() throws IOException {
        Path missing = dir.resolve("none.json");
        assertCleanError(run("bench", "--train", "--model", "mobilenetv3_small_050", "--compare", missing.toString()),
                "none.json");
        Path garbage = dir.resolve("garbage.json");
        Files.writeString(garbage, "{\"results\": [1, 2");
        assertCleanError(run("bench", "--train", "--model", "mobilenetv3_small_050", "--compare", garbage.toString()),
                "garbage.json");
        Path other = dir.resolve("other.json");
        Files.writeString(other, "{\"results\": [{\"model\": \"mobilenetv2_100\", \"batch\": 32, \"img_size\": 224,"
                + " \"threads\": 2, \"ms_per_image\": 50}]}");
        assertCleanError(run("bench", "--train", "--model", "mobilenetv3_small_050", "--compare", other.toString()),
                "has no numbers for mobilenetv3_small_050");
        assertCleanError(run("bench", "--train", "--model", "mobilenetv2_100", "--batch", "8", "--compare",
                other.toString()), "only at [batch 32 224x224 threads 2]");
        Path negative = dir.resolve("negative.json");
        Files.writeString(negative, "{\"results\": [{\"model\": \"mobilenetv2_100\", \"batch\": 32, \"img_size\": 224,"
                + " \"threads\": 2, \"ms_per_image\": -5}]}");
        assertCleanError(run("bench", "--train", "--model", "mobilenetv2_100", "--compare", negative.toString()),
                "\"ms_per_image\" must be a positive number");
        assertCleanError(run("bench", "--train", "--model", "mobilenetv3_small_050", "--compare"), "needs the file");
        assertCleanError(run("bench", "--model", "mobilenetv3_small_050", "--compare", other.toString()),
                "--compare takes a file only with --train");
        assertCleanError(run("bench", "--train", "--model", "mobilenetv3_small_050", "--steps", "0"),
                "at least 1");
        assertCleanError(run("bench", "--train", "--model", "mobilenetv3_small_050", "--opt", "adam9"),
                "unknown optimizer 'adam9'");
        assertCleanError(run("bench", "--train", "--model", "mobilenetv3_small_050", "--engine", "onnxruntime"),
                "Java engine only");
    }
}

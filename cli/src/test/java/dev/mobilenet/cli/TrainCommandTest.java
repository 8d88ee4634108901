package dev.mobilenet.cli;

import static dev.mobilenet.cli.CliTest.assertCleanError;
import static dev.mobilenet.cli.CliTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mobilenet.data.SyntheticShapes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code train}, {@code eval} and {@code synth-data} end to end on a small synthetic ImageFolder. */
class TrainCommandTest {
    @TempDir
    Path dir;

    @Test
    void trainThenEvaluateTheBestCheckpoint() throws IOException {
        Path data = dir.resolve("shapes");
        assertEquals(0, run("synth-data", "--output", data.toString(), "--classes", "3", "--per-class", "12",
                "--size", "40", "--val-fraction", "0.25").code());
        Path out = dir.resolve("run");
        CliTest.Result r = run("train", "--model", "mobilenetv3_small_050", "--data", data.toString(), "--epochs", "2",
                "--batch-size", "6", "--opt", "adamw", "--lr", "1e-3", "--input-size", "40", "--aa",
                "rand-m9-mstd0.5", "--reprob", "0.25", "--workers", "2", "--threads", "2", "--output", out.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith("best epoch "), r.out());
        assertEquals(2, r.err().lines().filter(l -> l.startsWith("epoch ")).count(), r.err());
        assertEquals(3, Files.readAllLines(out.resolve("metrics.csv")).size());
        assertEquals(3, Files.readAllLines(out.resolve("labels.txt")).size());

        CliTest.Result e = run("eval", "--model", "mobilenetv3_small_050", "--weights",
                out.resolve("best.safetensors").toString(), "--data", data.toString(), "--input-size", "40",
                "--labels", out.resolve("labels.txt").toString(), "--json");
        assertEquals(0, e.code(), e.err());
        JsonNode j = new ObjectMapper().readTree(e.out());
        assertEquals(9, j.get("images").asInt(), "val/ holds a quarter of 12 per class");
        assertEquals(3, j.get("per_class").size());
        assertTrue(j.get("top5").asDouble() == 1.0);

        CliTest.Result table = run("eval", "--model", "mobilenetv3_small_050", "--weights",
                out.resolve("last.safetensors").toString(), "--data", data.toString(), "--input-size", "40");
        assertEquals(0, table.code(), table.err());
        assertTrue(table.out().startsWith("9 images: top-1 "), table.out());

        CliTest.Result resumed = run("train", "--model", "mobilenetv3_small_050", "--data", data.toString(),
                "--epochs", "3", "--batch-size", "6", "--opt", "adamw", "--lr", "1e-3", "--input-size", "40",
                "--aa", "rand-m9-mstd0.5", "--reprob", "0.25", "--workers", "2", "--output", out.toString(),
                "--resume");
        assertEquals(0, resumed.code(), resumed.err());
        assertEquals(4, Files.readAllLines(out.resolve("metrics.csv")).size());
    }

    @Test
    void badInputGetsOneLine() throws IOException {
        Path data = dir.resolve("shapes");
        SyntheticShapes.write(data, 2, 6, 32, 1L, 0.5);
        assertCleanError(run("train", "--model", "mobilenetv3_small_050", "--data", data.toString(), "--num-classes",
                "5", "--output", dir.resolve("o").toString()), "--num-classes 5 but the data has 2 classes");
        assertCleanError(run("train", "--model", "mobilenetv3_small_050", "--data", data.toString(), "--pretrained",
                "--weights", "w.safetensors", "--output", dir.resolve("o").toString()),
                "give --pretrained or --weights, not both");
        Files.createDirectories(dir.resolve("empty/cat"));
        Files.createDirectories(dir.resolve("empty/dog"));
        Files.writeString(dir.resolve("empty/dog/x.png"), "x");
        CliTest.Result r = run("train", "--model", "mobilenetv3_small_050", "--data", dir.resolve("empty").toString(),
                "--output", dir.resolve("o2").toString());
        assertTrue(r.code() != 0);
        assertTrue(r.err().contains("cat"), r.err());
        assertCleanError(run("train", "--model", "mobilenetv3_small_050", "--data", "a.npy,", "--output",
                dir.resolve("o3").toString()), "--data takes a folder or two .npy files");
    }
}

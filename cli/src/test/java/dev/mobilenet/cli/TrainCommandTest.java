package dev.mobilenet.cli;

import static dev.mobilenet.cli.CliTest.assertCleanError;
import static dev.mobilenet.cli.CliTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mobilenet.arch.Registry;
import dev.mobilenet.classify.ImageClassifier;
import dev.mobilenet.classify.ModelLoader;
import dev.mobilenet.classify.ModelRequest;
import dev.mobilenet.classify.Top;
import dev.mobilenet.data.ImageFolder;
import dev.mobilenet.data.SyntheticShapes;
import dev.mobilenet.hub.TimmConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
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
        List<String> classes = Files.readAllLines(out.resolve("labels.txt"));
        assertEquals(3, classes.size());
        TimmConfig written = TimmConfig.read(out.resolve("config.json"));
        assertEquals(Optional.of("mobilenetv3_small_050"), written.architecture());
        assertEquals(Optional.of(3), written.numClasses());
        assertEquals(Optional.of(classes), written.labelNames());
        assertEquals(Registry.resolve("mobilenetv3_small_050").pretrained().orElseThrow().preprocess()
                .withInputSize(40, 40), written.merge(Optional.empty()).preprocess(), "the run's eval transform");

        Path best = out.resolve("best.safetensors");
        CliTest.Result e = run("eval", "--model", "mobilenetv3_small_050", "--weights", best.toString(), "--data",
                data.toString(), "--labels", out.resolve("labels.txt").toString(), "--json");
        assertEquals(0, e.code(), e.err());
        JsonNode j = new ObjectMapper().readTree(e.out());
        assertEquals(9, j.get("images").asInt(), "val/ holds a quarter of 12 per class");
        assertEquals(3, j.get("per_class").size());
        CliTest.Result sized = run("eval", "--model", "mobilenetv3_small_050", "--weights", best.toString(), "--data",
                data.toString(), "--labels", out.resolve("labels.txt").toString(), "--json", "--input-size", "40");
        assertEquals(e.out(), sized.out(), "config.json beside the weights gives the run's 40x40");

        // The same numbers from the classifier, image by image: per-class hits and the mean cross-entropy.
        ImageFolder val = ImageFolder.forEval(data);
        int[] hits = new int[3];
        double loss = 0;
        try (ImageClassifier c = ImageClassifier.open(ModelLoader.load(ModelRequest.of("mobilenetv3_small_050")
                .withWeights(best)), 1, 1)) {
            for (int i = 0; i < val.size(); i++) {
                List<Top> top = c.classify(val.files().get(i), 3);
                int label = val.label(i);
                hits[label] += top.get(0).index() == label ? 1 : 0;
                loss -= Math.log(top.stream().filter(t -> t.index() == label).findFirst().orElseThrow()
                        .probability());
            }
        }
        for (int k = 0; k < 3; k++) {
            JsonNode row = j.get("per_class").get(k);
            assertEquals(classes.get(k), row.get("class").asText());
            assertEquals(hits[k], row.get("correct").asInt(), classes.get(k));
            assertEquals(3, row.get("total").asInt());
        }
        assertEquals((hits[0] + hits[1] + hits[2]) / 9.0, j.get("top1").asDouble(), 1e-12);
        assertEquals(loss / 9, j.get("loss").asDouble(), 1e-5 * Math.max(1, loss / 9));

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

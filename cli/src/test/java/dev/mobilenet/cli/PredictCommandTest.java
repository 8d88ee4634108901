package dev.mobilenet.cli;

import static dev.mobilenet.cli.CliTest.assertCleanError;
import static dev.mobilenet.cli.CliTest.run;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mobilenet.arch.Labels;
import dev.mobilenet.arch.ModelSpec;
import dev.mobilenet.classify.Predictions;
import dev.mobilenet.classify.Top;
import dev.mobilenet.hub.ModelConfig;
import dev.mobilenet.hub.TimmConfig;
import dev.mobilenet.image.ImageDecoder;
import dev.mobilenet.image.Preprocessor;
import dev.mobilenet.hub.HubStub;
import dev.mobilenet.io.Npy;
import dev.mobilenet.model.MobileNet;
import dev.mobilenet.model.Session;
import dev.mobilenet.model.Weights;
import dev.mobilenet.preprocess.Interpolation;
import dev.mobilenet.preprocess.PreprocessConfig;
import dev.mobilenet.tensor.Tensor;
import dev.mobilenet.testing.FixtureWeights;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code predict} and {@code embed} end to end against timm: the same generated weights served by a local Hub
 * imitation (or given with --weights), the same image files, and timm's top classes, probabilities and pre-logits
 * ({@code tools/make_predict_fixtures.py}).
 */
class PredictCommandTest {
    static final Path IMAGES = Path.of("..", "image", "src", "test", "resources", "images");

    @TempDir
    Path dir;

    static final Path EXPECTED = Path.of("..", "classify", "src", "test", "resources", "predict", "expected.json");

    static JsonNode expected() throws IOException {
        return new ObjectMapper().readTree(EXPECTED.toFile());
    }

    private Path weights(String name, long seed) {
        String arch = name.substring(0, name.indexOf('.'));
        MobileNet net = MobileNet.create(ModelSpec.parse(arch), 1000, 0L);
        FixtureWeights.apply(net, seed);
        Path w = dir.resolve(name + ".safetensors");
        Weights.save(net, w);
        return w;
    }

    private static byte[] hubConfig(String name) throws IOException {
        return Files.readAllBytes(Path.of("..", "hub", "src", "test", "resources", "hub-configs", name + ".json"));
    }

    @Test
    void topClassesAndProbabilitiesMatchTimm() throws IOException {
        JsonNode all = expected();
        List<String> names = new ArrayList<>();
        all.forEach(c -> {
            if (!names.contains(c.get("model").asText())) {
                names.add(c.get("model").asText());
            }
        });
        try (HubStub stub = HubStub.start()) {
            for (int m = 0; m < names.size(); m++) {
                String name = names.get(m);
                List<JsonNode> cases = new ArrayList<>();
                all.forEach(c -> {
                    if (c.get("model").asText().equals(name)) {
                        cases.add(c);
                    }
                });
                Path w = weights(name, cases.get(0).get("seed").asLong());
                List<String> args = new ArrayList<>(List.of("predict", "--model", name, "--json", "--top", "5",
                        "--batch", "2", "--threads", "2"));
                if (m == 0) {
                    stub.lfs("timm/" + name, "model.safetensors", Files.readAllBytes(w))
                            .regular("timm/" + name, "config.json", hubConfig(name));
                    args.addAll(List.of("--endpoint", stub.endpoint(), "--cache-dir", dir.resolve("hub").toString()));
                } else {
                    args.addAll(List.of("--weights", w.toString()));
                }
                for (JsonNode c : cases) {
                    args.add(IMAGES.resolve(c.get("image").asText()).toString());
                }
                CliTest.Result r = run(args.toArray(new String[0]));
                assertEquals(0, r.code(), r.err());
                List<String> lines = r.out().lines().toList();
                assertEquals(cases.size(), lines.size(), r.out());
                for (int i = 0; i < cases.size(); i++) {
                    JsonNode got = new ObjectMapper().readTree(lines.get(i));
                    JsonNode want = cases.get(i);
                    assertTrue(got.get("file").asText().endsWith(want.get("image").asText()));
                    for (int k = 0; k < 5; k++) {
                        JsonNode t = got.get("top").get(k);
                        String what = name + " " + want.get("image").asText() + " rank " + (k + 1);
                        assertEquals(want.get("top_index").get(k).asInt(), t.get("index").asInt(), what);
                        double p = want.get("top_probability").get(k).asDouble();
                        assertEquals(p, t.get("probability").asDouble(), 1e-4 * Math.max(p, 1e-3), what);
                    }
                }
                if (m == 0) {
                    stub.clearRequests();
                    CliTest.Result warm = run(args.toArray(new String[0]));
                    assertEquals(r.out(), warm.out());
                    assertEquals(List.of(), stub.requests(), "a warm cache makes no request");
                }
            }
        }
    }

    @Test
    void labelsComeFromTheConfigOrAFile() throws IOException {
        JsonNode c = expected().get(0);
        String name = c.get("model").asText();
        Path w = weights(name, c.get("seed").asLong());
        String image = IMAGES.resolve(c.get("image").asText()).toString();
        CliTest.Result table = run("predict", "--model", name, "--weights", w.toString(), "--top", "3", image);
        assertEquals(0, table.code(), table.err());
        List<String> lines = table.out().lines().toList();
        assertEquals(4, lines.size(), table.out());
        int top = c.get("top_index").get(0).asInt();
        String label = dev.mobilenet.arch.Labels.of(dev.mobilenet.arch.Registry.resolve(name).pretrained().get())
                .get().get(top).name();
        assertTrue(lines.get(1).contains(label), lines.get(1) + " should name class " + top + " (" + label + ")");

        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 1000; i++) {
            sb.append("class-").append(i).append('\n');
        }
        Path labels = dir.resolve("labels.txt");
        Files.writeString(labels, sb.toString());
        CliTest.Result custom = run("predict", "--model", name, "--weights", w.toString(), "--labels",
                labels.toString(), "--top", "1", "--json", image);
        assertEquals("class-" + top, new ObjectMapper().readTree(custom.out()).get("top").get(0).get("label").asText());

        Files.writeString(labels, "a\nb\n");
        assertCleanError(run("predict", "--model", name, "--weights", w.toString(), "--labels", labels.toString(),
                image), "has 2 labels but the model has 1000 classes");
    }

    @Test
    void aBadFileIsReportedAndSkipped() throws IOException {
        JsonNode c = expected().get(0);
        String name = c.get("model").asText();
        Path w = weights(name, c.get("seed").asLong());
        Path folder = dir.resolve("imgs");
        Files.createDirectories(folder.resolve("sub"));
        Files.copy(IMAGES.resolve(c.get("image").asText()), folder.resolve("sub").resolve("b.jpg"));
        Files.write(folder.resolve("a.png"), "not an image".getBytes(StandardCharsets.UTF_8));
        Files.writeString(folder.resolve("notes.txt"), "ignored: not an image extension");
        CliTest.Result r = run("predict", "--model", name, "--weights", w.toString(), "--json", "--batch", "4",
                folder.toString());
        assertEquals(1, r.code(), "one file failed");
        assertEquals(1, r.out().lines().count(), r.out());
        assertTrue(r.out().contains("b.jpg"));
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().startsWith("mobilenet: ") && r.err().contains("a.png"), r.err());

        // --verbose adds where the time went on stderr and leaves the results alone.
        CliTest.Result v = run("predict", "--verbose", "--model", name, "--weights", w.toString(), "--json",
                "--batch", "4", folder.toString());
        assertEquals(1, v.code());
        assertEquals(r.out(), v.out());
        List<String> lines = v.err().lines().toList();
        assertEquals(2, lines.size(), v.err());
        assertTrue(lines.get(1).matches("mobilenet predict: phases: JVM start [0-9.]+ s, model and file list "
                + "[0-9.]+ s, images [0-9.]+ s \\(CPU [0-9.]+ s; 2 files, [0-9.]+ files/s\\)"), lines.get(1));
    }

    @Test
    void embedWritesPreLogitsAndTheFileOrder() throws IOException {
        JsonNode all = expected();
        JsonNode c = all.get(0);
        String name = c.get("model").asText();
        Path w = weights(name, c.get("seed").asLong());
        Path out = dir.resolve("emb.npy");
        List<String> imgs = new ArrayList<>();
        for (JsonNode e : all) {
            if (e.get("model").asText().equals(name)) {
                imgs.add(IMAGES.resolve(e.get("image").asText()).toString());
            }
        }
        List<String> args = new ArrayList<>(List.of("embed", "--model", name, "--weights", w.toString(), "--output",
                out.toString(), "--batch", "3"));
        args.addAll(imgs);
        CliTest.Result r = run(args.toArray(new String[0]));
        assertEquals(0, r.code(), r.err());
        Tensor emb = Npy.readFloat(out);
        assertEquals(imgs.size(), emb.shape()[0]);
        int d = emb.shape()[1];
        assertEquals(c.get("pre_logits_dim").asInt(), d);
        assertEquals(imgs, Files.readAllLines(dir.resolve("emb.txt")));
        int row = 0;
        for (JsonNode e : all) {
            if (!e.get("model").asText().equals(name)) {
                continue;
            }
            double sum = 0;
            for (int j = 0; j < d; j++) {
                sum += emb.data()[row * d + j];
            }
            double want = e.get("pre_logits_sum").asDouble();
            assertEquals(want, sum, 1e-4 * Math.max(1, Math.abs(want)), "pre-logits sum of " + e.get("image"));
            for (int j = 0; j < 16; j++) {
                double v = e.get("pre_logits_head").get(j).asDouble();
                assertEquals(v, emb.data()[row * d + j], 1e-4 * Math.max(1, Math.abs(v)), "pre-logits " + j);
            }
            row++;
        }
        assertCleanError(run("embed", "--model", name, "--weights", w.toString(), "--output",
                dir.resolve("e.csv").toString(), imgs.get(0)), "the output must be an .npy file");
    }

    @Test
    void anArchitectureWithoutPretrainedWeightsNeedsAFile() {
        assertCleanError(run("predict", "--model", "mobilenetv2_035", "x.jpg"),
                "mobilenetv2_035 has no pretrained weights on the Hub; give --weights FILE");
    }

    /** A run's config.json beside --weights sets the preprocessing and labels; the same flags give the same bits. */
    @Test
    void aConfigBesideTheWeightsOrTheFlagsSetThePreprocessing() throws IOException {
        JsonNode c = expected().get(0);
        String name = c.get("model").asText();
        Path run = Files.createDirectories(dir.resolve("run"));
        Path w = Files.move(weights(name, c.get("seed").asLong()), run.resolve("best.safetensors"));
        PreprocessConfig pre = new PreprocessConfig(96, 112, 1.0, "squash", Interpolation.BILINEAR,
                new float[] {0.5f, 0.5f, 0.5f}, new float[] {0.25f, 0.25f, 0.25f});
        List<Labels.Label> labels = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            labels.add(new Labels.Label("c" + i, "c" + i));
        }
        TimmConfig.write(new ModelConfig(name.substring(0, name.indexOf('.')), Optional.empty(), 1000,
                Optional.empty(), pre, Optional.empty(), labels), run.resolve("config.json"));
        String image = IMAGES.resolve(c.get("image").asText()).toString();

        MobileNet net = MobileNet.create(ModelSpec.parse(name.substring(0, name.indexOf('.'))), 1000, 0L);
        Weights.load(net, w);
        float[] logits;
        try (Session s = net.compile().newSession()) {
            logits = s.logits(new Preprocessor(pre).apply(new ImageDecoder().decode(Path.of(image)))).data();
        }
        List<Top> want = Predictions.topK(logits, 0, 1000, 3, labels.stream().map(Labels.Label::name).toList());

        CliTest.Result fromConfig = run("predict", "--model", name, "--weights", w.toString(), "--json", "--top", "3",
                image);
        assertEquals(0, fromConfig.code(), fromConfig.err());
        JsonNode top = new ObjectMapper().readTree(fromConfig.out()).get("top");
        for (int k = 0; k < 3; k++) {
            assertEquals(want.get(k).index(), top.get(k).get("index").asInt());
            assertEquals(want.get(k).label(), top.get(k).get("label").asText());
            assertEquals(want.get(k).probability(), top.get(k).get("probability").asDouble(), 0.0);
        }

        Path bare = Files.copy(w, dir.resolve("bare.safetensors"));
        Path bareLabels = dir.resolve("labels.txt");
        Files.write(bareLabels, labels.stream().map(Labels.Label::name).toList());
        CliTest.Result fromFlags = run("predict", "--model", name, "--weights", bare.toString(), "--json", "--top",
                "3", "--input-size", "96,112", "--crop-pct", "1.0", "--crop-mode", "squash", "--interpolation",
                "bilinear", "--mean", "0.5,0.5,0.5", "--std", "0.25,0.25,0.25", "--labels", bareLabels.toString(),
                image);
        assertEquals(0, fromFlags.code(), fromFlags.err());
        assertEquals(fromConfig.out().replace(w.toString(), ""), fromFlags.out().replace(bare.toString(), ""));

        Path emb = dir.resolve("e.npy");
        assertEquals(0, run("embed", "--model", name, "--weights", w.toString(), "--output", emb.toString(),
                image).code());
        Path emb2 = dir.resolve("e2.npy");
        assertEquals(0, run("embed", "--model", name, "--weights", bare.toString(), "--output", emb2.toString(),
                "--input-size", "96,112", "--crop-pct", "1.0", "--crop-mode", "squash", "--interpolation",
                "bilinear", "--mean", "0.5,0.5,0.5", "--std", "0.25,0.25,0.25", image).code());
        assertArrayEquals(Npy.readFloat(emb).data(), Npy.readFloat(emb2).data());

        Files.writeString(run.resolve("config.json"), "{\"architecture\": \"mobilenetv2_100\"}");
        assertCleanError(run("predict", "--model", name, "--weights", w.toString(), image),
                "is for architecture 'mobilenetv2_100', not mobilenetv3_small_100");
    }

    /** predict, embed, eval, preprocess and train take the same six preprocessing overrides, and --model once. */
    @Test
    void everyPreprocessingCommandTakesTheSameOverrides() {
        CommandLine cl = new CommandLine(new Main());
        for (String command : List.of("predict", "embed", "eval", "preprocess", "train")) {
            CommandLine.Model.CommandSpec spec = cl.getSubcommands().get(command).getCommandSpec();
            for (String option : List.of("--model", "--input-size", "--crop-pct", "--crop-mode", "--interpolation",
                    "--mean", "--std")) {
                assertNotNull(spec.findOption(option), command + " " + option);
            }
        }
        CliTest.Result r = run("predict", "x.jpg");
        assertEquals(2, r.code(), r.err());
        assertEquals("mobilenet: Missing required option: '--model=NAME'", r.err().strip());
    }
}

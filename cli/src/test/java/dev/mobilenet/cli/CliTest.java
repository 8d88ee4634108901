package dev.mobilenet.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mobilenet.arch.ModelSpec;
import dev.mobilenet.io.Npy;
import dev.mobilenet.io.NpyArray;
import dev.mobilenet.io.Npz;
import dev.mobilenet.model.MobileNet;
import dev.mobilenet.model.Weights;
import dev.mobilenet.tensor.Tensor;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CliTest {
    @TempDir
    Path dir;

    record Result(int code, String out, String err) {
    }

    static Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** Exactly one line on stderr, naming the problem, no stack trace, non-zero exit. */
    static void assertCleanError(Result r, String expected) {
        assertTrue(r.code != 0, "exit code");
        assertEquals(1, r.err.lines().count(), "one line on stderr: " + r.err);
        assertTrue(r.err.contains(expected), r.err);
        assertFalse(r.err.contains("\tat "), r.err);
    }

    private Path randomInput(int n, int c, int h, int w) {
        Random rng = new Random(5);
        float[] d = new float[n * c * h * w];
        for (int i = 0; i < d.length; i++) {
            d[i] = (float) rng.nextGaussian();
        }
        Path p = dir.resolve("x_" + n + "_" + c + "_" + h + "_" + w + ".npy");
        Npy.write(p, new Tensor(new int[] {n, c, h, w}, d));
        return p;
    }

    @Test
    void versionAndHelp() {
        Result v = run("--version");
        assertEquals(0, v.code);
        assertTrue(v.out.startsWith("mobilenet "), v.out);
        Result h = run("--help");
        assertEquals(0, h.code);
        assertTrue(h.out.contains("forward") && h.out.contains("info") && h.out.contains("list"));
        assertEquals("", h.err);
    }

    @Test
    void listMatchesTimm() {
        Result r = run("list", "*mobilenetv3*", "--pretrained");
        assertEquals(0, r.code);
        assertEquals(15, r.out.lines().count());
        assertTrue(r.out.startsWith("mobilenetv3_large_100.miil_in21k\n"));
        assertEquals(23, run("list").out.lines().count());
    }

    @Test
    void infoTableAndJson() throws Exception {
        Result t = run("info", "mobilenetv3_large_100");
        assertEquals(0, t.code, t.err);
        assertTrue(t.out.contains("5,483,032") && t.out.contains("216,589,760"), t.out);
        Result j = run("info", "mobilenetv2_100", "--input-size", "160", "--json");
        assertEquals(0, j.code, j.err);
        JsonNode n = new ObjectMapper().readTree(j.out);
        for (String k : new String[] {"name", "params", "macs", "input_size", "num_classes", "num_features",
                "layers"}) {
            assertTrue(n.has(k), k);
        }
        assertEquals(3504872, n.get("params").asLong());
        assertEquals(160, n.get("input_size").get(1).asInt());
        assertEquals(MobileNet.create("mobilenetv2_100").macs(160, 160), n.get("macs").asLong());
        assertEquals(1280, n.get("num_features").asInt());
    }

    @Test
    void forwardLogitsPreLogitsAndFeatures() {
        MobileNet m = MobileNet.create(ModelSpec.parse("tf_mobilenetv3_small_075"), 7, 9L);
        Path w = dir.resolve("w.safetensors");
        Weights.save(m, w);
        Path x = randomInput(2, 3, 65, 49);
        Tensor in = Npy.readFloat(x);

        Path y = dir.resolve("y.npy");
        Result r = run("forward", "--model", "tf_mobilenetv3_small_075", "--weights", w.toString(),
                "--input", x.toString(), "--output", y.toString());
        assertEquals(0, r.code, r.err);
        assertEquals("", r.err);
        Tensor logits = Npy.readFloat(y);
        assertArrayEquals(new int[] {2, 7}, logits.shape(), "classes inferred from the weights file");
        assertArrayEquals(m.compile().newSession().logits(in).data(), logits.data());

        Path p = dir.resolve("p.npy");
        assertEquals(0, run("forward", "--model", "tf_mobilenetv3_small_075", "--weights", w.toString(),
                "--input", x.toString(), "--output", p.toString(), "--pre-logits").code);
        assertArrayEquals(new int[] {2, 1024}, Npy.readFloat(p).shape());

        Path f = dir.resolve("maps.npz");
        r = run("forward", "--model", "tf_mobilenetv3_small_075", "--weights", w.toString(),
                "--input", x.toString(), "--output", f.toString(), "--features");
        assertEquals(0, r.code, r.err);
        Map<String, NpyArray> maps = Npz.read(f);
        assertEquals(java.util.List.of("0", "1", "2", "3", "4"), java.util.List.copyOf(maps.keySet()));
        assertArrayEquals(new int[] {2, 16, 33, 25}, maps.get("0").shape());
        assertArrayEquals(new int[] {2, 432, 3, 2}, maps.get("4").shape());
    }

    @Test
    void forwardWithoutWeightsUsesRandomInit() {
        Path x = randomInput(1, 3, 32, 32);
        Path y = dir.resolve("y.npy");
        Result r = run("forward", "--model", "mobilenetv3_large_100.miil_in21k", "--input", x.toString(),
                "--output", y.toString());
        assertEquals(0, r.code, r.err);
        assertArrayEquals(new int[] {1, 11221}, Npy.readFloat(y).shape());
    }

    @Test
    void badInputsGetOneLine() throws Exception {
        Path x = randomInput(1, 3, 64, 64);
        Path y = dir.resolve("out.npy");
        assertCleanError(run("forward", "--model", "mobilenetv3_larg_100", "--input", x.toString(), "--output",
                y.toString()), "did you mean: mobilenetv3_large_100");
        assertCleanError(run("info", "resnet50"), "unknown model 'resnet50'");
        assertCleanError(run("forward", "--model", "mobilenetv2_100", "--input", randomInput(1, 4, 64, 64).toString(),
                "--output", y.toString()), "3 channels");
        assertCleanError(run("forward", "--model", "mobilenetv2_100", "--input", randomInput(1, 3, 31, 64).toString(),
                "--output", y.toString()), "smaller than the minimum 32x32");
        assertCleanError(run("forward", "--model", "mobilenetv2_100", "--input", dir.resolve("nope.npy").toString(),
                "--output", y.toString()), "nope.npy");
        Path corrupt = dir.resolve("bad.safetensors");
        Files.write(corrupt, new byte[] {1, 2, 3});
        assertCleanError(run("forward", "--model", "mobilenetv2_100", "--weights", corrupt.toString(), "--input",
                x.toString(), "--output", y.toString()), "bad.safetensors");
        Path truncated = dir.resolve("trunc.npy");
        byte[] good = Files.readAllBytes(x);
        Files.write(truncated, java.util.Arrays.copyOf(good, good.length - 100));
        assertCleanError(run("forward", "--model", "mobilenetv2_100", "--input", truncated.toString(), "--output",
                y.toString()), "trunc.npy");
        assertCleanError(run("forward", "--model", "mobilenetv2_100", "--input", x.toString(), "--output",
                dir.resolve("missing/out.npy").toString()), "does not exist");
        Path wrongWeights = dir.resolve("v1.safetensors");
        Weights.save(MobileNet.create("mobilenetv1_100"), wrongWeights);
        assertCleanError(run("forward", "--model", "mobilenetv2_100.ra_in1k", "--weights", wrongWeights.toString(),
                "--input", x.toString(), "--output", y.toString()), "missing");
        assertCleanError(run("forward", "--model", "mobilenetv2_100", "--input", x.toString()), "--output");
        assertCleanError(run("info", "mobilenetv2_100", "--input-size", "abc"), "input size");
        try (Stream<Path> files = Files.list(dir)) {
            assertTrue(files.noneMatch(p -> p.getFileName().toString().startsWith("out")),
                    "no output file appears after an error");
        }
    }

    @Test
    void exportAndOnnxRuntimeEngine() {
        MobileNet m = MobileNet.create(ModelSpec.parse("tf_mobilenetv3_small_075"), 7, 9L);
        Path w = dir.resolve("w.safetensors");
        Weights.save(m, w);
        Path onnx = dir.resolve("m.onnx");
        Result r = run("export", "--model", "tf_mobilenetv3_small_075", "--weights", w.toString(), "--output",
                onnx.toString(), "--opset", "17", "--input-size", "160", "--dynamic-size");
        assertEquals(0, r.code, r.err);
        assertTrue(Files.isRegularFile(onnx));
        Path tagged = dir.resolve("tagged.onnx");
        r = run("export", "--model", "mobilenetv3_small_050.lamb_in1k", "--output", tagged.toString(),
                "--input-size", "64");
        assertEquals(0, r.code, r.err);
        assertMetadata(tagged);
        r = run("export", "--model", "mobilenetv2_060", "--output", dir.resolve("v2.onnx").toString(), "--opset", "13",
                "--input-size", "160", "--features");
        assertEquals(0, r.code, r.err);

        Path x = randomInput(2, 3, 65, 49);
        Path yj = dir.resolve("java.npy");
        Path yo = dir.resolve("ort.npy");
        assertEquals(0, run("forward", "--model", "tf_mobilenetv3_small_075", "--weights", w.toString(), "--input",
                x.toString(), "--output", yj.toString()).code);
        r = run("forward", "--engine", "onnxruntime", "--threads", "1", "--model", "tf_mobilenetv3_small_075",
                "--weights", w.toString(), "--input", x.toString(), "--output", yo.toString());
        assertEquals(0, r.code, r.err);
        dev.mobilenet.testing.Golden.assertClose("onnxruntime vs java", Npy.readFloat(yj).data(),
                Npy.readFloat(yo).data(), 1e-4);
        Path fo = dir.resolve("f.npz");
        assertEquals(0, run("forward", "--engine", "onnxruntime", "--model", "tf_mobilenetv3_small_075", "--input",
                x.toString(), "--output", fo.toString(), "--features").code);
        assertEquals(5, Npz.read(fo).size());
    }

    private static void assertMetadata(Path onnx) {
        try (ai.onnxruntime.OrtSession s = ai.onnxruntime.OrtEnvironment.getEnvironment()
                .createSession(onnx.toString(), new ai.onnxruntime.OrtSession.SessionOptions())) {
            Map<String, String> meta = s.getMetadata().getCustomMetadata();
            assertEquals("mobilenetv3_small_050.lamb_in1k", meta.get("model_name"));
            assertEquals("0.485,0.456,0.406", meta.get("mean"));
            assertEquals("0.229,0.224,0.225", meta.get("std"));
            assertEquals("bicubic", meta.get("interpolation"));
            assertEquals("0.875", meta.get("crop_pct"));
            assertEquals("1000", meta.get("num_classes"));
            assertEquals("imagenet1k", meta.get("label_set"));
            JsonNode labels = new ObjectMapper().readTree(meta.get("labels"));
            assertEquals(1000, labels.size());
            assertEquals("tench, Tinca tinca", labels.get(0).asText());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void badExportsGetOneLine() {
        Path out = dir.resolve("bad.onnx");
        assertCleanError(run("export", "--model", "mobilenetv2_100", "--output", out.toString(), "--opset", "12"),
                "opset 12 is not supported");
        assertCleanError(run("export", "--model", "mobilenetv2_100", "--output", out.toString(), "--input-size", "16"),
                "at least 32x32");
        assertCleanError(run("export", "--model", "mobilenetv2_100", "--output", dir.resolve("no/dir/m.onnx")
                .toString()), "does not exist");
        assertCleanError(run("forward", "--engine", "tensorflow", "--model", "mobilenetv2_100", "--input", "x.npy",
                "--output", "y.npy"), "tensorflow");
        assertFalse(Files.exists(out));
    }
    private Path writeImage(String name, String format, int w, int h, int seed) throws Exception {
        java.awt.image.BufferedImage img = new java.awt.image.BufferedImage(w, h,
                java.awt.image.BufferedImage.TYPE_3BYTE_BGR);
        Random rng = new Random(seed);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int v = (x * 255 / w) << 16 | (y * 255 / h) << 8 | rng.nextInt(256);
                img.setRGB(x, y, v);
            }
        }
        Path p = dir.resolve(name);
        assertTrue(javax.imageio.ImageIO.write(img, format, p.toFile()));
        return p;
    }

    @Test
    void preprocessImagesIntoABatch() throws Exception {
        Path a = writeImage("a.png", "png", 120, 90, 1);
        Path b = writeImage("b.jpg", "jpeg", 70, 130, 2);
        Path y = dir.resolve("x.npy");
        Result r = run("preprocess", "--model", "mobilenetv3_large_100.ra_in1k", a.toString(), b.toString(),
                "--output", y.toString());
        assertEquals(0, r.code, r.err);
        assertEquals("", r.err);
        Tensor x = Npy.readFloat(y);
        assertArrayEquals(new int[] {2, 3, 224, 224}, x.shape());
        dev.mobilenet.image.Preprocessor pre = new dev.mobilenet.image.Preprocessor(
                dev.mobilenet.arch.Registry.resolve("mobilenetv3_large_100.ra_in1k").pretrained().get().preprocess());
        dev.mobilenet.image.ImageDecoder dec = new dev.mobilenet.image.ImageDecoder();
        float[] expected = new float[2 * pre.outputSize()];
        pre.apply(dec.decode(a), expected, 0);
        pre.apply(dec.decode(b), expected, pre.outputSize());
        assertArrayEquals(expected, x.data());

        Path z = dir.resolve("z.npy");
        Result o = run("preprocess", a.toString(), "--output", z.toString(), "--input-size", "96,128",
                "--crop-pct", "1.0", "--crop-mode", "squash", "--interpolation", "lanczos", "--mean", "0.5,0.5,0.5",
                "--std", "0.5,0.5,0.5");
        assertEquals(0, o.code, o.err);
        Tensor t = Npy.readFloat(z);
        assertArrayEquals(new int[] {1, 3, 96, 128}, t.shape());
        dev.mobilenet.preprocess.PreprocessConfig cfg = new dev.mobilenet.preprocess.PreprocessConfig(96, 128, 1.0, "squash",
                dev.mobilenet.preprocess.Interpolation.LANCZOS, new float[] {0.5f, 0.5f, 0.5f},
                new float[] {0.5f, 0.5f, 0.5f});
        assertArrayEquals(new dev.mobilenet.image.Preprocessor(cfg).apply(dec.decode(a)).data(), t.data());

        Path s = dir.resolve("s.npy");
        assertEquals(0, run("preprocess", "--model", "mobilenetv1_125.ra4_e3600_r224_in1k", "--test-size",
                b.toString(), "--output", s.toString()).code);
        assertArrayEquals(new int[] {1, 3, 256, 256}, Npy.readFloat(s).shape(), "timm's test_input_size");
    }

    @Test
    void preprocessErrorsAreOneLine() throws Exception {
        Path a = writeImage("a.png", "png", 40, 30, 1);
        Path y = dir.resolve("y.npy");
        assertCleanError(run("preprocess", dir.resolve("missing.jpg").toString(), "--output", y.toString()),
                "no such file");
        Path junk = dir.resolve("junk.jpg");
        Files.writeString(junk, "not an image");
        assertCleanError(run("preprocess", a.toString(), junk.toString(), "--output", y.toString()),
                "junk.jpg: not a JPEG, PNG, BMP, GIF or WebP image");
        assertFalse(Files.exists(y), "no partial output");
        byte[] png = Files.readAllBytes(a);
        Path cut = dir.resolve("cut.png");
        Files.write(cut, java.util.Arrays.copyOf(png, png.length / 2));
        assertCleanError(run("preprocess", cut.toString(), "--output", y.toString()), "cut.png");
        assertCleanError(run("preprocess", a.toString(), "--output", dir.resolve("y.txt").toString()),
                "must be an .npy file");
        assertCleanError(run("preprocess", a.toString(), "--output", y.toString(), "--interpolation", "cubic"),
                "unknown interpolation 'cubic'");
        assertCleanError(run("preprocess", a.toString(), "--output", y.toString(), "--max-pixels", "1000"),
                "exceeds the limit of 1000 pixels");
        assertCleanError(run("preprocess", a.toString(), "--output", y.toString(), "--mean", "0.5,0.5"),
                "mean and std need 3 values");
        assertCleanError(run("preprocess", dir.toString(), "--output", y.toString()), "is a directory");
        assertFalse(Files.exists(y), "no output after errors");
    }
}

package dev.mobilenet.serve;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mobilenet.arch.ModelSpec;
import dev.mobilenet.classify.ImageClassifier;
import dev.mobilenet.classify.LoadedModel;
import dev.mobilenet.classify.ModelLoader;
import dev.mobilenet.classify.ModelRequest;
import dev.mobilenet.classify.PreprocessOverrides;
import dev.mobilenet.classify.Top;
import dev.mobilenet.preprocess.Interpolation;
import dev.mobilenet.model.Engine;
import dev.mobilenet.model.MobileNet;
import dev.mobilenet.model.Weights;
import dev.mobilenet.model.Session;
import dev.mobilenet.tensor.Tensor;
import dev.mobilenet.testing.FixtureWeights;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** Models with the fixture generator's weights, the image fixtures, and predict's answers for them. */
final class Fixtures {
    static final Path IMAGES = Path.of("..", "image", "src", "test", "resources", "images");
    static final List<String> IMAGE_FILES = List.of("photo_640x480.jpg", "photo_480x640.jpg", "eval_171x255.png",
            "jpeg_progressive_160x120.jpg", "jpeg_cmyk_37x23.jpg", "png_rgba16_37x23.png", "gif_p_37x23.gif",
            "bmp_rgb_37x23.bmp", "webp_lossless_37x23.webp", "src_255x171.png");
    static final ObjectMapper OM = new ObjectMapper();

    private Fixtures() {
    }

    /** A weights file of the fixture generator's values for {@code arch} with {@code classes} classes. */
    static Path weights(String arch, int classes, long seed) {
        try {
            MobileNet net = MobileNet.create(ModelSpec.parse(arch), classes, 0L);
            FixtureWeights.apply(net, seed);
            Path dir = Files.createTempDirectory("serve-weights");
            Path w = dir.resolve(arch + ".safetensors");
            Weights.save(net, w);
            w.toFile().deleteOnExit();
            dir.toFile().deleteOnExit();
            return w;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** mobilenetv3_small_050.lamb_in1k (ImageNet's labels) loaded from a weights file, at 96x96. */
    static ServedModel small() {
        LoadedModel m = ModelLoader.load(ModelRequest.of("mobilenetv3_small_050.lamb_in1k")
                .withWeights(weights("mobilenetv3_small_050", 1000, 7))
                .withPreprocess(PreprocessOverrides.NONE.withInputSize(96, 96)));
        return ServedModel.of("small", m);
    }

    /** mobilenetv2_035 with 10 classes and no labels, 64x80 bilinear. */
    static ServedModel tiny() {
        LoadedModel m = ModelLoader.load(ModelRequest.of("mobilenetv2_035").withWeights(weights("mobilenetv2_035", 10, 11))
                .withPreprocess(PreprocessOverrides.NONE.withInputSize(64, 80).withInterpolation(Interpolation.BILINEAR)));
        return ServedModel.of("tiny", m);
    }

    static Path image(String name) {
        return IMAGES.resolve(name);
    }

    /** What {@code predict --json --top K} prints for each file, without "file", one string per file. */
    static List<String> predictLines(ServedModel m, List<Path> files, int k) {
        List<String> out = new ArrayList<>();
        try (ImageClassifier c = ImageClassifier.open(m.model(), 1, 1)) {
            c.classify(files, k, o -> {
                ImageClassifier.Prediction p = (ImageClassifier.Prediction) o;
                ObjectNode row = OM.createObjectNode();
                ArrayNode arr = row.putArray("top");
                for (Top t : p.top()) {
                    arr.addObject().put("index", t.index()).put("label", t.label()).put("probability", t.probability());
                }
                out.add(row.toString());
            });
        }
        return out;
    }

    /** Each file's pre-logits as {@code embed} computes them. */
    static List<float[]> embeddings(ServedModel m, List<Path> files) {
        List<float[]> out = new ArrayList<>();
        try (ImageClassifier c = ImageClassifier.open(m.model(), 1, 1)) {
            c.embed(files, o -> out.add(((ImageClassifier.Embedding) o).vector()));
        }
        return out;
    }

    /** The real engine behind a gate: a call announces itself and waits until the test opens the gate. */
    static final class Gate implements ServedModel.EngineFactory {
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch open = new CountDownLatch(1);
        private final ServedModel model;

        Gate(ServedModel model) {
            this.model = model;
        }

        @Override
        public Engine open(int threads) {
            Session s = model.net().compile().newSession(threads);
            return new Engine() {
                @Override
                public int numClasses() {
                    return s.numClasses();
                }

                @Override
                public Tensor logits(Tensor x) {
                    await();
                    return s.logits(x);
                }

                @Override
                public Tensor preLogits(Tensor x) {
                    await();
                    return s.preLogits(x);
                }

                @Override
                public List<Tensor> features(Tensor x) {
                    return s.features(x);
                }

                @Override
                public void close() {
                    s.close();
                }
            };
        }

        private void await() {
            entered.countDown();
            try {
                if (!open.await(60, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("the test never opened the gate");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }
}

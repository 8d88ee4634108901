package dev.mobilenet.serve;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mobilenet.arch.Labels;
import dev.mobilenet.arch.ModelSpec;
import dev.mobilenet.arch.Registry;
import dev.mobilenet.classify.ImageClassifier;
import dev.mobilenet.image.ImageDecoder;
import dev.mobilenet.preprocess.PreprocessConfig;
import dev.mobilenet.model.Engine;
import dev.mobilenet.model.MobileNet;
import dev.mobilenet.model.Session;
import dev.mobilenet.tensor.Tensor;
import dev.mobilenet.testing.FixtureWeights;
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

    /** mobilenetv3_small_050 with ImageNet's labels at 96x96 (timm's other defaults). */
    static ServedModel small() {
        MobileNet net = MobileNet.create(ModelSpec.parse("mobilenetv3_small_050"), 1000, 0L);
        FixtureWeights.apply(net, 7);
        List<String> labels = new ArrayList<>();
        Labels.of(Registry.resolve("mobilenetv3_small_050.lamb_in1k").pretrained().orElseThrow()).orElseThrow()
                .forEach(l -> labels.add(l.name()));
        return ServedModel.of("small", net, PreprocessConfig.timmDefaults().withInputSize(96, 96), labels);
    }

    /** mobilenetv2_035 with 10 classes and no labels, 64x80 bilinear. */
    static ServedModel tiny() {
        MobileNet net = MobileNet.create(ModelSpec.parse("mobilenetv2_035"), 10, 0L);
        FixtureWeights.apply(net, 11);
        return ServedModel.of("tiny", net, PreprocessConfig.timmDefaults().withInputSize(64, 80)
                .withInterpolation(dev.mobilenet.preprocess.Interpolation.BILINEAR), List.of());
    }

    static Path image(String name) {
        return IMAGES.resolve(name);
    }

    /** What {@code predict --json --top K} prints for each file, without "file", one string per file. */
    static List<String> predictLines(ServedModel m, List<Path> files, int k) {
        List<String> out = new ArrayList<>();
        try (Session s = m.net().compile().newSession(1);
             ImageClassifier c = new ImageClassifier(s, m.preprocess(), new ImageDecoder(), m.labels(), 1, 1)) {
            c.classify(files, k, o -> {
                ImageClassifier.Prediction p = (ImageClassifier.Prediction) o;
                ObjectNode row = OM.createObjectNode();
                ArrayNode arr = row.putArray("top");
                for (dev.mobilenet.classify.Top t : p.top()) {
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
        try (Session s = m.net().compile().newSession(1);
             ImageClassifier c = new ImageClassifier(s, m.preprocess(), new ImageDecoder(), m.labels(), 1, 1)) {
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

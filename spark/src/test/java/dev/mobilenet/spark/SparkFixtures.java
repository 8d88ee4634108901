package dev.mobilenet.spark;

import dev.mobilenet.arch.Registry;
import dev.mobilenet.classify.ImageClassifier;
import dev.mobilenet.classify.LoadedModel;
import dev.mobilenet.classify.ModelLoader;
import dev.mobilenet.classify.ModelRequest;
import dev.mobilenet.model.MobileNet;
import dev.mobilenet.model.Weights;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;

/**
 * What the Spark tests share, made once per test JVM: one local[2] session bound to loopback with the UI off, a folder
 * of the image module's fixture photos and formats (one level nested) plus broken files, and a weights file.
 */
final class SparkFixtures {
    static final String MODEL = "mobilenetv3_small_100.lamb_in1k";
    static final List<String> BROKEN = List.of("broken/truncated.jpg", "broken/not_an_image.png", "broken/empty.jpg");
    private static final Path IMAGES = Path.of("..", "image", "src", "test", "resources", "images");
    private static final List<String> GOOD = List.of("photo_640x480.jpg", "photo_480x640.jpg", "jpeg_420_160x120.jpg",
            "jpeg_progressive_160x120.jpg", "src_255x171.png", "png_rgba_37x23.png", "gif_p_37x23.gif",
            "bmp_rgb_37x23.bmp", "webp_lossless_37x23.webp", "jpeg_cmyk_37x23.jpg");

    private static SparkSession spark;
    private static Path root;

    private SparkFixtures() {
    }

    static synchronized SparkSession spark() {
        if (spark == null) {
            spark = LocalSpark.builder("local[2]", "mobilenet-spark-tests")
                    .config("spark.sql.shuffle.partitions", "2")
                    .getOrCreate();
        }
        return spark;
    }

    static synchronized Path root() {
        if (root == null) {
            try {
                root = Files.createTempDirectory("mobilenet-spark-test");
                Runtime.getRuntime().addShutdownHook(new Thread(() -> delete(root)));
                Path photos = Files.createDirectories(root.resolve("photos"));
                for (int i = 0; i < GOOD.size(); i++) {
                    Path dir = i % 2 == 0 ? photos : Files.createDirectories(photos.resolve("nested"));
                    Files.copy(IMAGES.resolve(GOOD.get(i)), dir.resolve(GOOD.get(i)));
                }
                Files.createDirectories(photos.resolve("broken"));
                byte[] jpeg = Files.readAllBytes(IMAGES.resolve("photo_640x480.jpg"));
                Files.write(photos.resolve(BROKEN.get(0)), java.util.Arrays.copyOf(jpeg, 700));
                Files.writeString(photos.resolve(BROKEN.get(1)), "not an image\n");
                Files.write(photos.resolve(BROKEN.get(2)), new byte[0]);
                MobileNet net = MobileNet.create(Registry.resolve(MODEL).spec(), 1000, 7L);
                Weights.save(net, root.resolve("weights.safetensors"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return root;
    }

    static Path photos() {
        return root().resolve("photos");
    }

    static Path weights() {
        return root().resolve("weights.safetensors");
    }

    static int goodCount() {
        return GOOD.size();
    }

    /**
     * What predict and embed run, in this JVM: the photos folder's image files in predict's order through
     * classify.ImageClassifier (the library path of both commands), as {@code Prediction}, {@code Embedding} or
     * {@code Failure} outcomes.
     */
    static List<ImageClassifier.Outcome> reference(boolean embed) {
        return reference(photos(), embed);
    }

    /** The same for the image files under {@code folder}. */
    static List<ImageClassifier.Outcome> reference(Path folder, boolean embed) {
        List<Path> files;
        try (Stream<Path> s = Files.walk(folder)) {
            files = s.filter(Files::isRegularFile).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<ImageClassifier.Outcome> out = new ArrayList<>();
        LoadedModel m = ModelLoader.load(ModelRequest.of(MODEL).withWeights(weights()));
        try (ImageClassifier c = ImageClassifier.open(m, 2, 3)) {
            if (embed) {
                c.embed(files, out::add);
            } else {
                c.classify(files, 5, out::add);
            }
        }
        return out;
    }

    private static void delete(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

import dev.mobilenet.classify.ImageClassifier;
import dev.mobilenet.classify.LoadedModel;
import dev.mobilenet.classify.ModelLoader;
import dev.mobilenet.classify.ModelRequest;
import dev.mobilenet.serve.InferenceServer;
import dev.mobilenet.serve.ServeConfig;
import dev.mobilenet.serve.ServedModel;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Load benchmark of {@code mobilenet serve} (not a test): for each model, the server's images/s and p50/p99 latency
 * at 1, 4, 16 and 64 concurrent clients, against predict's path ({@code ImageClassifier}, {@code --batch 16}) on
 * the same images, all in one JVM and one run. Random-init weights (speed does not depend on them).
 *
 * <pre>
 * ./mobilenet --version   # builds cli/target/mobilenet.jar
 * java --add-modules jdk.incubator.vector -cp cli/target/mobilenet.jar tools/ServeLoad.java [requests] [threads]
 * </pre>
 */
public final class ServeLoad {
    private static final Path IMAGES = Path.of("image", "src", "test", "resources", "images");
    private static final List<String> FILES = List.of("photo_640x480.jpg", "photo_480x640.jpg", "eval_171x255.png",
            "src_255x171.png", "jpeg_progressive_160x120.jpg", "jpeg_420_160x120.jpg");

    public static void main(String[] args) throws Exception {
        int requests = args.length > 0 ? Integer.parseInt(args[0]) : 192;
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : Runtime.getRuntime().availableProcessors();
        List<Path> files = new ArrayList<>();
        List<byte[]> bodies = new ArrayList<>();
        for (int i = 0; i < requests; i++) {
            Path f = IMAGES.resolve(FILES.get(i % FILES.size()));
            files.add(f);
            bodies.add(Files.readAllBytes(f));
        }
        System.out.printf(Locale.ROOT, "%d requests per row, %d engine/decode threads, %d cores%n", requests,
                threads, Runtime.getRuntime().availableProcessors());
        System.out.println("| model | clients | images/s | p50 ms | p99 ms | mean batch | predict --batch 16 images/s"
                + " | ratio |");
        System.out.println("|---|---|---|---|---|---|---|---|");
        for (String name : List.of("mobilenetv3_small_100", "mobilenetv3_large_100")) {
            LoadedModel model = ModelLoader.load(ModelRequest.of(name).withRandomInit(0));
            double predict = predictRate(model, files, threads);
            ServeConfig cfg = ServeConfig.defaults().withPort(0).withThreads(threads).withMaxBatch(16)
                    .withMaxDelayMs(5).withMaxQueue(1024);
            try (InferenceServer server = InferenceServer.start(cfg, List.of(ServedModel.of(name, model)))) {
                URI uri = URI.create("http://127.0.0.1:" + server.port() + "/predictions/" + name);
                run(uri, bodies.subList(0, Math.min(64, bodies.size())), 16);
                for (int clients : new int[] {1, 4, 16, 64}) {
                    double[] before = batches(server.port());
                    Result r = run(uri, bodies, clients);
                    double[] after = batches(server.port());
                    double meanBatch = (after[1] - before[1]) / Math.max(1, after[0] - before[0]);
                    System.out.printf(Locale.ROOT, "| %s | %d | %.1f | %.1f | %.1f | %.1f | %.1f | %.2f |%n", name,
                            clients, r.rate, r.p50, r.p99, meanBatch, predict, r.rate / predict);
                }
            }
        }
    }

    /** predict's path: decode pool a batch ahead, 16 images per engine call; the second of two runs. */
    private static double predictRate(LoadedModel model, List<Path> files, int threads) {
        double rate = 0;
        try (ImageClassifier c = ImageClassifier.open(model, threads, 16)) {
            for (int run = 0; run < 2; run++) {
                AtomicInteger n = new AtomicInteger();
                long t0 = System.nanoTime();
                c.classify(files, 5, o -> n.incrementAndGet());
                rate = n.get() / ((System.nanoTime() - t0) / 1e9);
            }
        }
        return rate;
    }

    record Result(double rate, double p50, double p99) {
    }

    private static Result run(URI uri, List<byte[]> bodies, int clients) throws Exception {
        AtomicInteger next = new AtomicInteger();
        double[] lat = new double[bodies.size()];
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        List<Future<?>> fs = new ArrayList<>();
        long t0 = System.nanoTime();
        for (int c = 0; c < clients; c++) {
            fs.add(pool.submit(() -> {
                HttpClient http = HttpClient.newHttpClient();
                for (int i = next.getAndIncrement(); i < bodies.size(); i = next.getAndIncrement()) {
                    long s = System.nanoTime();
                    HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri)
                            .POST(HttpRequest.BodyPublishers.ofByteArray(bodies.get(i))).build(),
                            HttpResponse.BodyHandlers.ofString());
                    if (r.statusCode() != 200) {
                        throw new IllegalStateException(r.statusCode() + " " + r.body());
                    }
                    lat[i] = (System.nanoTime() - s) / 1e6;
                }
                return null;
            }));
        }
        for (Future<?> f : fs) {
            f.get();
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        pool.shutdown();
        Arrays.sort(lat);
        return new Result(bodies.size() / secs, lat[(int) (0.50 * (lat.length - 1))], lat[(int) (0.99 * (lat.length - 1))]);
    }

    /** The batch-size histogram's count and sum from /metrics. */
    private static double[] batches(int port) throws Exception {
        String m = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                + "/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
        double count = 0;
        double sum = 0;
        for (String line : m.split("\n")) {
            if (line.startsWith("mobilenet_batch_size_count{")) {
                count = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            } else if (line.startsWith("mobilenet_batch_size_sum{")) {
                sum = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return new double[] {count, sum};
    }
}

package dev.mobilenet.serve;

import static dev.mobilenet.serve.Fixtures.OM;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mobilenet.MobileNetException;
import dev.mobilenet.image.ImageDecoder;
import dev.mobilenet.image.Preprocessor;
import dev.mobilenet.model.Session;
import dev.mobilenet.tensor.Tensor;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The API against a real server on a free port, driven by java.net.http. */
class ServerTest {
    static ServedModel small;
    static ServedModel tiny;
    static InferenceServer server;
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        small = Fixtures.small();
        tiny = Fixtures.tiny();
        server = InferenceServer.start(ServeConfig.defaults().withPort(0).withThreads(2).withMaxBatch(8)
                .withMaxDelayMs(5), List.of(small, tiny));
    }

    @AfterAll
    static void stop() {
        server.stop();
    }

    static URI uri(InferenceServer s, String path) {
        return URI.create("http://127.0.0.1:" + s.port() + path);
    }

    static HttpResponse<String> get(InferenceServer s, String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(uri(s, path)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpRequest postRequest(InferenceServer s, String path, byte[] body) {
        return HttpRequest.newBuilder(uri(s, path)).POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
    }

    static HttpResponse<String> post(InferenceServer s, String path, byte[] body)
            throws IOException, InterruptedException {
        return HTTP.send(postRequest(s, path, body), HttpResponse.BodyHandlers.ofString());
    }

    static CompletableFuture<HttpResponse<String>> postAsync(InferenceServer s, String path, byte[] body) {
        return HTTP.sendAsync(postRequest(s, path, body), HttpResponse.BodyHandlers.ofString());
    }

    static byte[] bytes(String image) throws IOException {
        return Files.readAllBytes(Fixtures.image(image));
    }

    static void assertError(HttpResponse<String> r, int status, String fragment) throws IOException {
        assertEquals(status, r.statusCode(), r.body());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/json"), r.headers()
                .toString());
        JsonNode j = OM.readTree(r.body());
        assertEquals(1, j.size(), r.body());
        String msg = j.get("error").asText();
        assertFalse(msg.contains("\n"), msg);
        assertTrue(msg.contains(fragment), msg);
    }

    @Test
    void predictionsAreExactlyPredictsLines() throws Exception {
        List<Path> files = Fixtures.IMAGE_FILES.stream().map(Fixtures::image).collect(Collectors.toList());
        List<String> want = Fixtures.predictLines(small, files, 5);
        for (int i = 0; i < files.size(); i++) {
            HttpResponse<String> r = post(server, "/predictions/small", Files.readAllBytes(files.get(i)));
            assertEquals(200, r.statusCode(), r.body());
            assertEquals(want.get(i), r.body(), files.get(i).toString());
            assertTrue(r.headers().firstValue("Server-Timing").orElse("").startsWith("total;dur="));
        }
        List<String> want3 = Fixtures.predictLines(tiny, files.subList(0, 2), 3);
        assertEquals(want3.get(1), post(server, "/predictions/tiny?top=3", Files.readAllBytes(files.get(1))).body());
        JsonNode all = OM.readTree(post(server, "/predictions/tiny?top=50", bytes("photo_640x480.jpg")).body());
        assertEquals(10, all.get("top").size(), "top is capped at the class count, as predict does");
        assertEquals("0", OM.readTree(want3.get(0)).get("top").get(0).get("label").asText().replaceAll("\\d", "0"));
    }

    @Test
    void multipartFieldDataIsTheImage() throws Exception {
        String boundary = "----mobilenet" + System.nanoTime();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\nhello\r\n")
                .getBytes(StandardCharsets.UTF_8));
        body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"data\"; filename=\"p.jpg\"\r\n"
                + "Content-Type: image/jpeg\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        body.write(bytes("photo_480x640.jpg"));
        body.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(uri(server, "/predictions/small"))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        assertEquals(Fixtures.predictLines(small, List.of(Fixtures.image("photo_480x640.jpg")), 5).get(0), r.body());

        String noData = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"p.jpg\"\r\n\r\n"
                + "xyz\r\n--" + boundary + "--\r\n";
        assertError(HTTP.send(HttpRequest.newBuilder(uri(server, "/predictions/small"))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofString(noData)).build(), HttpResponse.BodyHandlers.ofString()),
                400, "'data'");
    }

    @Test
    void sixtyFourRequestsFromSixteenClientsEachEqualPredict() throws Exception {
        List<Path> files = Fixtures.IMAGE_FILES.stream().map(Fixtures::image).collect(Collectors.toList());
        List<String> want = Fixtures.predictLines(small, files, 5);
        List<byte[]> bodies = new ArrayList<>();
        for (Path f : files) {
            bodies.add(Files.readAllBytes(f));
        }
        ExecutorService clients = Executors.newFixedThreadPool(16);
        try {
            List<Future<List<String>>> results = new ArrayList<>();
            for (int c = 0; c < 16; c++) {
                int client = c;
                results.add(clients.submit(() -> {
                    HttpClient own = HttpClient.newHttpClient();
                    List<String> mismatches = new ArrayList<>();
                    for (int k = 0; k < 4; k++) {
                        int i = (client * 4 + k) % files.size();
                        HttpResponse<String> r = own.send(HttpRequest.newBuilder(uri(server, "/predictions/small"))
                                .POST(HttpRequest.BodyPublishers.ofByteArray(bodies.get(i))).build(),
                                HttpResponse.BodyHandlers.ofString());
                        if (r.statusCode() != 200 || !r.body().equals(want.get(i))) {
                            mismatches.add(files.get(i) + ": " + r.statusCode() + " " + r.body());
                        }
                    }
                    return mismatches;
                }));
            }
            List<String> all = new ArrayList<>();
            for (Future<List<String>> f : results) {
                all.addAll(f.get());
            }
            assertEquals(List.of(), all);
        } finally {
            clients.shutdownNow();
        }
        String metrics = get(server, "/metrics").body();
        assertTrue(metrics.contains("mobilenet_batch_size_count{model=\"small\"}"), metrics);
        assertTrue(metrics.contains("mobilenet_requests_total{endpoint=\"/predictions/{model}\",model=\"small\","
                + "status=\"200\"}"), metrics);
    }

    @Test
    void embeddingsArePreLogits() throws Exception {
        List<Path> files = List.of(Fixtures.image("photo_640x480.jpg"), Fixtures.image("gif_p_37x23.gif"));
        List<float[]> want = Fixtures.embeddings(small, files);
        for (int i = 0; i < files.size(); i++) {
            HttpResponse<String> r = post(server, "/embeddings/small", Files.readAllBytes(files.get(i)));
            assertEquals(200, r.statusCode(), r.body());
            JsonNode e = OM.readTree(r.body()).get("embedding");
            float[] got = new float[e.size()];
            for (int k = 0; k < got.length; k++) {
                got[k] = e.get(k).floatValue();
            }
            assertArrayEquals(want.get(i), got);
        }
    }

    @Test
    void openInferenceProtocolV2() throws Exception {
        JsonNode meta = OM.readTree(get(server, "/v2/models/small").body());
        assertEquals("small", meta.get("name").asText());
        assertEquals("[-1,3,96,96]", meta.get("inputs").get(0).get("shape").toString());
        assertEquals("[-1,1000]", meta.get("outputs").get(0).get("shape").toString());
        assertEquals(200, get(server, "/v2/health/live").statusCode());
        assertEquals("{\"ready\":true}", get(server, "/v2/health/ready").body());

        Preprocessor pre = new Preprocessor(small.preprocess());
        ImageDecoder dec = new ImageDecoder();
        float[] x = new float[2 * pre.outputSize()];
        pre.apply(dec.decode(Fixtures.image("photo_640x480.jpg")), x, 0);
        pre.apply(dec.decode(Fixtures.image("src_255x171.png")), x, pre.outputSize());
        float[] want;
        try (Session s = small.net().compile().newSession(1)) {
            want = s.logits(new Tensor(new int[] {2, 3, 96, 96}, x)).data();
        }
        ObjectNode req = OM.createObjectNode();
        req.put("id", "r1");
        ObjectNode in = req.putArray("inputs").addObject();
        in.put("name", "input").put("datatype", "FP32");
        in.putArray("shape").add(2).add(3).add(96).add(96);
        ArrayNode data = in.putArray("data");
        for (float v : x) {
            data.add(v);
        }
        req.putArray("outputs").addObject().put("name", "logits");
        HttpResponse<String> r = post(server, "/v2/models/small/infer", OM.writeValueAsBytes(req));
        assertEquals(200, r.statusCode(), r.body());
        JsonNode out = OM.readTree(r.body());
        assertEquals("r1", out.get("id").asText());
        assertEquals("small", out.get("model_name").asText());
        JsonNode o = out.get("outputs").get(0);
        assertEquals("[2,1000]", o.get("shape").toString());
        float[] got = new float[o.get("data").size()];
        for (int i = 0; i < got.length; i++) {
            got[i] = o.get("data").get(i).floatValue();
        }
        assertArrayEquals(want, got);

        in.putArray("shape").add(2).add(3).add(96).add(95);
        assertError(post(server, "/v2/models/small/infer", OM.writeValueAsBytes(req)), 400, "the shape needs");
        in.putArray("shape").add(1).add(1).add(96).add(96);
        assertError(post(server, "/v2/models/small/infer", OM.writeValueAsBytes(req)), 400, "[N >= 1, 3, H, W]");
        in.putArray("shape").add(2).add(3).add(96).add(96);
        in.put("datatype", "INT8");
        assertError(post(server, "/v2/models/small/infer", OM.writeValueAsBytes(req)), 400, "FP32");
        in.put("datatype", "FP32");
        in.putArray("data").add("a");
        assertError(post(server, "/v2/models/small/infer", OM.writeValueAsBytes(req)), 400, "\"data\"");
        assertError(post(server, "/v2/models/small/infer", "{\"inputs\": [".getBytes(StandardCharsets.UTF_8)), 400,
                "bad JSON");
        assertError(post(server, "/v2/models/small/infer", "[1]".getBytes(StandardCharsets.UTF_8)), 400, "bad JSON");
        assertError(get(server, "/v2/models/nope"), 404, "no model named 'nope'");
    }

    @Test
    void healthModelsMetricsAndPage() throws Exception {
        assertEquals("{\"status\":\"Healthy\"}", get(server, "/ping").body());
        JsonNode models = OM.readTree(get(server, "/models").body()).get("models");
        assertEquals(2, models.size());
        JsonNode s = models.get(0);
        assertEquals("small", s.get("name").asText());
        assertEquals("mobilenetv3_small_050", s.get("arch").asText());
        assertEquals(1000, s.get("num_classes").asInt());
        assertEquals(1024, s.get("embedding_dim").asInt());
        assertEquals("[3,96,96]", s.get("preprocess").get("input_size").toString());
        assertEquals(0.875, s.get("preprocess").get("crop_pct").asDouble());
        assertEquals("bicubic", s.get("preprocess").get("interpolation").asText());
        assertEquals("bilinear", models.get(1).get("preprocess").get("interpolation").asText());

        post(server, "/predictions/tiny", bytes("png_rgb_37x23.png"));
        HttpResponse<String> m = get(server, "/metrics");
        assertEquals(200, m.statusCode());
        assertTrue(m.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"));
        for (String want : List.of("mobilenet_requests_total{", "mobilenet_request_latency_seconds_bucket{",
                "mobilenet_batch_size_bucket{", "mobilenet_queue_depth{model=\"tiny\"}", "mobilenet_images_per_second",
                "mobilenet_images_total{model=\"tiny\"}", "jvm_memory_used_bytes{")) {
            assertTrue(m.body().contains(want), want + " in\n" + m.body());
        }

        HttpResponse<String> page = get(server, "/");
        assertEquals(200, page.statusCode());
        assertTrue(page.headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
        assertTrue(page.body().contains("<script src=\"app.js\">"));
        assertTrue(get(server, "/app.js").body().contains("predictions/"));
        assertTrue(get(server, "/style.css").headers().firstValue("Content-Type").orElse("").startsWith("text/css"));
    }

    @Test
    void cropIsThePreprocessedImage() throws Exception {
        HttpResponse<String> r = post(server, "/predictions/tiny?crop=true", bytes("photo_640x480.jpg"));
        JsonNode j = OM.readTree(r.body());
        String url = j.get("crop").asText();
        assertTrue(url.startsWith("data:image/png;base64,"));
        byte[] png = java.util.Base64.getDecoder().decode(url.substring(url.indexOf(',') + 1));
        java.awt.image.BufferedImage img = javax.imageio.ImageIO.read(new ByteArrayInputStream(png));
        assertEquals(80, img.getWidth());
        assertEquals(64, img.getHeight());
        var want = new Preprocessor(tiny.preprocess()).resizeAndCrop(new ImageDecoder()
                .decode(Fixtures.image("photo_640x480.jpg")));
        for (int y = 0; y < 64; y += 7) {
            for (int x = 0; x < 80; x += 5) {
                int rgb = img.getRGB(x, y) & 0xffffff;
                int e = want.get(x, y, 0) << 16 | want.get(x, y, 1) << 8 | want.get(x, y, 2);
                assertEquals(e, rgb, x + "," + y);
            }
        }
        JsonNode plain = OM.readTree(post(server, "/predictions/tiny", bytes("photo_640x480.jpg")).body());
        assertEquals(plain.get("top"), j.get("top"));
    }

    @Test
    void errorsAreOneLineJson() throws Exception {
        assertError(post(server, "/predictions/nope", bytes("png_rgb_37x23.png")), 404, "no model named 'nope'");
        assertError(post(server, "/predictions/small", "not an image".getBytes(StandardCharsets.UTF_8)), 400,
                "not a JPEG, PNG");
        byte[] cut = bytes("photo_640x480.jpg");
        assertError(post(server, "/predictions/small", java.util.Arrays.copyOf(cut, cut.length / 3)), 400, "image");
        assertError(post(server, "/predictions/small", new byte[0]), 400, "empty");
        assertError(post(server, "/predictions/small?top=0", bytes("png_rgb_37x23.png")), 400, "top");
        assertError(post(server, "/predictions/small?top=x", bytes("png_rgb_37x23.png")), 400, "top");
        assertError(post(server, "/embeddings/nope", bytes("png_rgb_37x23.png")), 404, "nope");
        assertError(get(server, "/no/such/thing"), 404, "no such endpoint");
        assertError(HTTP.send(HttpRequest.newBuilder(uri(server, "/predictions/small"))
                .header("Content-Type", "multipart/form-data; boundary=xyz")
                .POST(HttpRequest.BodyPublishers.ofString("garbage without parts")).build(),
                HttpResponse.BodyHandlers.ofString()), 400, "multipart");
        assertError(get(server, "/predictions/small"), 404, "");
    }

    @Test
    void limitsBodyAndPixels() throws Exception {
        ServeConfig cfg = ServeConfig.defaults().withPort(0).withThreads(1).withMaxBodyBytes(50_000)
                .withMaxPixels(10_000);
        try (InferenceServer s = InferenceServer.start(cfg, List.of(tiny))) {
            byte[] big = bytes("photo_640x480.jpg");
            assertTrue(big.length > 50_000);
            assertError(post(s, "/predictions/tiny", big), 413, "50000");
            // Without a Content-Length the body is refused while reading, once past the limit.
            HttpResponse<String> chunked = HTTP.send(HttpRequest.newBuilder(uri(s, "/predictions/tiny"))
                    .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big))).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertError(chunked, 413, "limit");
            String boundary = "----limit";
            byte[] head = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"data\"; filename=\"p.jpg\"\r\n"
                    + "\r\n").getBytes(StandardCharsets.UTF_8);
            byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8);
            ByteArrayOutputStream form = new ByteArrayOutputStream();
            form.write(head);
            form.write(big);
            form.write(tail);
            HttpResponse<String> bigForm = HTTP.send(HttpRequest.newBuilder(uri(s, "/predictions/tiny"))
                    .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                    .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(form.toByteArray())))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertError(bigForm, 413, "limit");
            byte[] wide = bytes("jpeg_progressive_160x120.jpg");
            assertTrue(wide.length < 50_000);
            assertError(post(s, "/predictions/tiny", wide), 400, "pixels");
            assertEquals(200, post(s, "/predictions/tiny", bytes("png_rgb_37x23.png")).statusCode());
        }
    }

    /** Polls until the server holds {@code n} requests for the model (no timing is asserted). */
    static void awaitQueued(InferenceServer s, String model, int n) throws InterruptedException {
        for (int i = 0; i < 6000 && s.queued(model) != n; i++) {
            Thread.sleep(10);
        }
        assertEquals(n, s.queued(model));
    }

    @Test
    void fullQueueGets503WithRetryAfter() throws Exception {
        ServeConfig cfg = ServeConfig.defaults().withPort(0).withThreads(1).withMaxQueue(2).withMaxBatch(1);
        Fixtures.Gate gate = new Fixtures.Gate(tiny);
        try (InferenceServer s = InferenceServer.start(cfg, List.of(tiny.withEngines(gate)))) {
            byte[] img = bytes("png_rgb_37x23.png");
            var a = postAsync(s, "/predictions/tiny", img);
            gate.entered.await();
            var b = postAsync(s, "/predictions/tiny", img);
            awaitQueued(s, "tiny", 2);
            HttpResponse<String> c = post(s, "/predictions/tiny", img);
            assertError(c, 503, "full");
            assertEquals("1", c.headers().firstValue("Retry-After").orElse(""));
            gate.open.countDown();
            String want = Fixtures.predictLines(tiny, List.of(Fixtures.image("png_rgb_37x23.png")), 5).get(0);
            assertEquals(want, a.get().body());
            assertEquals(want, b.get().body());
            awaitQueued(s, "tiny", 0);
            assertEquals(want, post(s, "/predictions/tiny", img).body());
        }
    }

    @Test
    void aRequestWhoseClientWentAwayIsDropped() throws Exception {
        ServeConfig cfg = ServeConfig.defaults().withPort(0).withThreads(1).withMaxBatch(4);
        Fixtures.Gate gate = new Fixtures.Gate(tiny);
        try (InferenceServer s = InferenceServer.start(cfg, List.of(tiny.withEngines(gate)))) {
            byte[] img = bytes("png_rgb_37x23.png");
            var a = postAsync(s, "/predictions/tiny", img);
            gate.entered.await();
            try (java.net.Socket gone = new java.net.Socket("127.0.0.1", s.port())) {
                var out = gone.getOutputStream();
                out.write(("POST /predictions/tiny HTTP/1.1\r\nHost: localhost\r\nContent-Length: " + img.length
                        + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.write(img);
                out.flush();
                awaitQueued(s, "tiny", 2);
            }
            var c = postAsync(s, "/predictions/tiny", img);
            awaitQueued(s, "tiny", 3);
            gate.open.countDown();
            String want = Fixtures.predictLines(tiny, List.of(Fixtures.image("png_rgb_37x23.png")), 5).get(0);
            assertEquals(want, a.get().body());
            assertEquals(want, c.get().body());
            awaitQueued(s, "tiny", 0);
            String m = get(s, "/metrics").body();
            assertTrue(m.contains("mobilenet_dropped_total{model=\"tiny\"} 1.0"), m);
            assertTrue(m.contains("mobilenet_images_total{model=\"tiny\"} 2.0"), m);
        }
    }

    @Test
    void stopFinishesRequestsInFlightAndRefusesNewOnes() throws Exception {
        ServeConfig cfg = ServeConfig.defaults().withPort(0).withThreads(1).withMaxBatch(2);
        Fixtures.Gate gate = new Fixtures.Gate(tiny);
        InferenceServer s = InferenceServer.start(cfg, List.of(tiny.withEngines(gate)));
        URI ping = uri(s, "/ping");
        byte[] img = bytes("png_rgb_37x23.png");
        List<CompletableFuture<HttpResponse<String>>> inFlight = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            inFlight.add(HttpClient.newHttpClient().sendAsync(postRequest(s, "/predictions/tiny", img),
                    HttpResponse.BodyHandlers.ofString()));
        }
        gate.entered.await();
        awaitQueued(s, "tiny", 4);
        Thread stopper = new Thread(s::stop);
        stopper.start();
        boolean refused = false;
        for (int i = 0; i < 6000 && !refused; i++) {
            try {
                // A connection that slips in as the connector closes is never answered: with no timeout this
                // ping would wait for the stop, and the stop for the gate this test opens after the loop.
                HttpClient.newHttpClient().send(HttpRequest.newBuilder(ping).timeout(Duration.ofSeconds(2)).build(),
                        HttpResponse.BodyHandlers.ofString());
                Thread.sleep(10);
            } catch (IOException e) {
                refused = true;
            }
        }
        assertTrue(refused, "new connections are refused (or never answered) once stopping");
        assertTrue(stopper.isAlive(), "stop waits for the requests in flight");
        gate.open.countDown();
        String want = Fixtures.predictLines(tiny, List.of(Fixtures.image("png_rgb_37x23.png")), 5).get(0);
        for (var f : inFlight) {
            HttpResponse<String> r = f.get();
            assertEquals(200, r.statusCode(), r.body());
            assertEquals(want, r.body());
        }
        stopper.join();
        assertTrue(s.awaitStop(0, java.util.concurrent.TimeUnit.SECONDS));
    }

    @Test
    void stopThatTimesOutStillClosesTheListeningSocket() throws Exception {
        ServeConfig cfg = ServeConfig.defaults().withPort(0).withThreads(1).withMaxBatch(1);
        Fixtures.Gate gate = new Fixtures.Gate(tiny);
        InferenceServer s = InferenceServer.start(cfg, List.of(tiny.withEngines(gate)), 300);
        int port = s.port();
        CompletableFuture<HttpResponse<String>> held = HttpClient.newHttpClient().sendAsync(
                postRequest(s, "/predictions/tiny", bytes("png_rgb_37x23.png")), HttpResponse.BodyHandlers.ofString());
        gate.entered.await();
        try {
            MobileNetException e = assertThrows(MobileNetException.class, s::stop);
            assertTrue(e.getMessage().startsWith("stopped after waiting 300 ms for the requests in flight; 1 were not"),
                    e.getMessage());
            assertTrue(s.awaitStop(0, java.util.concurrent.TimeUnit.SECONDS));
            // Past the timeout nothing may be accepted and then left unanswered: the port refuses connections.
            for (int i = 0; i < 20; i++) {
                try (java.net.Socket socket = new java.net.Socket()) {
                    assertThrows(java.net.ConnectException.class,
                            () -> socket.connect(new java.net.InetSocketAddress("127.0.0.1", port), 2000),
                            "connection " + i + " after the stop timed out");
                }
            }
        } finally {
            gate.open.countDown();
        }
        held.handle((r, t) -> null).get(10, java.util.concurrent.TimeUnit.SECONDS);
    }

    @Test
    void apiKeyGuardsAllButHealth() throws Exception {
        ServeConfig cfg = ServeConfig.defaults().withPort(0).withThreads(1).withApiKey("s3cret-key");
        try (InferenceServer s = InferenceServer.start(cfg, List.of(tiny))) {
            for (String open : List.of("/ping", "/v2/health/live", "/v2/health/ready", "/")) {
                assertEquals(200, get(s, open).statusCode(), open);
            }
            for (String closed : List.of("/models", "/metrics", "/v2/models/tiny")) {
                HttpResponse<String> r = get(s, closed);
                assertError(r, 401, "API key");
                assertEquals("Bearer", r.headers().firstValue("WWW-Authenticate").orElse(""));
            }
            byte[] img = bytes("png_rgb_37x23.png");
            assertError(post(s, "/predictions/tiny", img), 401, "API key");
            for (String wrong : List.of("Bearer s3cret-kez", "Bearer s3cret-key2", "s3cret-key", "Basic s3cret-key")) {
                HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(uri(s, "/predictions/tiny"))
                        .header("Authorization", wrong).POST(HttpRequest.BodyPublishers.ofByteArray(img)).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(401, r.statusCode(), wrong);
            }
            HttpResponse<String> ok = HTTP.send(HttpRequest.newBuilder(uri(s, "/predictions/tiny"))
                    .header("Authorization", "Bearer s3cret-key").POST(HttpRequest.BodyPublishers.ofByteArray(img))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, ok.statusCode(), ok.body());
            assertEquals(200, HTTP.send(HttpRequest.newBuilder(uri(s, "/metrics"))
                    .header("Authorization", "Bearer s3cret-key").build(), HttpResponse.BodyHandlers.ofString())
                    .statusCode());
        }
    }

    @Test
    void bindsLoopbackByDefault() {
        assertEquals("127.0.0.1", ServeConfig.defaults().host());
    }
}

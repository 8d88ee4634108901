package dev.mobilenet.cli;

import static dev.mobilenet.cli.CliTest.assertCleanError;
import static dev.mobilenet.cli.CliTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mobilenet.arch.ModelSpec;
import dev.mobilenet.model.MobileNet;
import dev.mobilenet.model.Weights;
import dev.mobilenet.testing.FixtureWeights;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code mobilenet serve}: option errors in-process, and the real command in its own JVM stopped by SIGTERM. */
class ServeCommandTest {
    @TempDir
    Path dir;

    private Path weights() {
        MobileNet net = MobileNet.create(ModelSpec.parse("mobilenetv2_035"), 10, 0L);
        FixtureWeights.apply(net, 3);
        Path w = dir.resolve("w.safetensors");
        Weights.save(net, w);
        return w;
    }

    @Test
    void optionErrorsAreOneLine() throws IOException {
        assertCleanError(run("serve"), "--model");
        Path w = weights();
        assertCleanError(run("serve", "--model", "mobilenetv2_035", "--weights", w.toString(), "--api-key-file",
                dir.resolve("missing").toString()), "cannot read the API key file");
        Files.writeString(dir.resolve("empty"), "\n");
        assertCleanError(run("serve", "--model", "mobilenetv2_035", "--weights", w.toString(), "--api-key-file",
                dir.resolve("empty").toString()), "first line is empty");
        assertCleanError(run("serve", "--model", "mobilenetv2_035", "--weights", w.toString(), "--max-batch", "0"),
                "max batch must be at least 1");
        try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            assertCleanError(run("serve", "--model", "mobilenetv2_035", "--weights", w.toString(), "--port",
                    Integer.toString(taken.getLocalPort())), "cannot listen on 127.0.0.1:" + taken.getLocalPort());
        }
    }

    @Test
    void servesPredictsAnswersAndExitsZeroOnSigterm() throws Exception {
        Path w = weights();
        Path image = PredictCommandTest.IMAGES.resolve("photo_640x480.jpg");
        CliTest.Result p = run("predict", "--json", "--model", "mobilenetv2_035", "--weights", w.toString(),
                image.toString());
        assertEquals(0, p.code(), p.err());
        ObjectNode line = (ObjectNode) new ObjectMapper().readTree(p.out().strip());
        line.remove("file");
        String want = line.toString();

        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path log = dir.resolve("stderr.txt");
        Process proc = new ProcessBuilder(java, "--add-modules", "jdk.incubator.vector", "-cp",
                System.getProperty("java.class.path"), "dev.mobilenet.cli.Main", "serve", "--model",
                "mobilenetv2_035", "--weights", w.toString(), "--port", "0", "--threads", "1")
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(log.toFile()).start();
        try {
            int port = -1;
            Pattern serving = Pattern.compile("serving mobilenetv2_035 on http://127\\.0\\.0\\.1:(\\d+)/");
            for (int i = 0; i < 12000 && port < 0 && proc.isAlive(); i++) {
                Matcher m = serving.matcher(Files.readString(log));
                if (m.find()) {
                    port = Integer.parseInt(m.group(1));
                } else {
                    Thread.sleep(10);
                }
            }
            assertTrue(port > 0, "startup line in " + Files.readString(log));
            HttpClient http = HttpClient.newHttpClient();
            URI uri = URI.create("http://127.0.0.1:" + port + "/predictions/mobilenetv2_035");
            byte[] body = Files.readAllBytes(image);
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode(), r.body());
            assertEquals(want, r.body());

            List<CompletableFuture<HttpResponse<String>>> racing = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                racing.add(HttpClient.newHttpClient().sendAsync(HttpRequest.newBuilder(uri)
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                        HttpResponse.BodyHandlers.ofString()));
            }
            proc.destroy();
            // A request in flight at SIGTERM gets its full answer; one arriving later is refused (503 on a
            // connection already open, or no connection at all).
            for (CompletableFuture<HttpResponse<String>> f : racing) {
                try {
                    HttpResponse<String> a = f.get();
                    if (a.statusCode() == 503) {
                        assertEquals("{\"error\":\"the server is stopping\"}", a.body());
                    } else {
                        assertEquals(200, a.statusCode(), a.body());
                        assertEquals(want, a.body());
                    }
                } catch (java.util.concurrent.ExecutionException e) {
                    assertTrue(e.getCause() instanceof IOException, e.toString());
                }
            }
            assertTrue(proc.waitFor(60, TimeUnit.SECONDS), "the server exits after SIGTERM");
            assertEquals(0, proc.exitValue());
            String rest = Files.readString(log);
            assertTrue(rest.contains("mobilenet: stopped"), rest);
        } finally {
            proc.destroyForcibly();
        }
    }
}

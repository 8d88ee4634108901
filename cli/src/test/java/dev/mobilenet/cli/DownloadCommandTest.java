package dev.mobilenet.cli;

import static dev.mobilenet.cli.CliTest.assertCleanError;
import static dev.mobilenet.cli.CliTest.run;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mobilenet.arch.ModelSpec;
import dev.mobilenet.hub.HubStub;
import dev.mobilenet.model.MobileNet;
import dev.mobilenet.model.Weights;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code mobilenet download} end to end against a local imitation of the Hub. */
class DownloadCommandTest {
    static final String NAME = "tf_mobilenetv3_small_minimal_100.in1k";
    static final String REPO = "timm/" + NAME;

    @TempDir
    Path dir;
    Path cache;
    HubStub stub;
    byte[] weights;
    byte[] config;

    @BeforeEach
    void start() throws IOException {
        cache = dir.resolve("hub");
        MobileNet net = MobileNet.create(ModelSpec.parse("tf_mobilenetv3_small_minimal_100"), 1000, 4L);
        Path w = dir.resolve("w.safetensors");
        Weights.save(net, w);
        weights = Files.readAllBytes(w);
        config = ("{\"architecture\": \"tf_mobilenetv3_small_minimal_100\", \"num_classes\": 1000,"
                + " \"pretrained_cfg\": {\"tag\": \"in1k\", \"crop_pct\": 0.875}}").getBytes(StandardCharsets.UTF_8);
        stub = HubStub.start().lfs(REPO, "model.safetensors", weights).regular(REPO, "config.json", config);
    }

    @AfterEach
    void stop() {
        stub.close();
    }

    CliTest.Result download(String... extra) {
        String[] base = {"download", "--endpoint", stub.endpoint(), "--cache-dir", cache.toString()};
        String[] args = new String[base.length + extra.length];
        System.arraycopy(base, 0, args, 0, base.length);
        System.arraycopy(extra, 0, args, base.length, extra.length);
        return run(args);
    }

    @Test
    void downloadsThenServesFromTheCache() throws IOException {
        String commit = HubStub.commit(REPO);
        Path snapshot = cache.resolve("models--timm--" + NAME + "/snapshots/" + commit);
        CliTest.Result r = download(NAME);
        assertEquals(0, r.code(), r.err());
        assertEquals("", r.err(), "no progress bar without a terminal");
        assertEquals(List.of(snapshot.resolve("model.safetensors").toString(), snapshot.resolve("config.json").toString()),
                r.out().lines().toList());
        assertArrayEquals(weights, Files.readAllBytes(snapshot.resolve("model.safetensors")));
        assertTrue(Files.isSymbolicLink(snapshot.resolve("model.safetensors")));
        assertEquals(commit, Files.readString(cache.resolve("models--timm--" + NAME + "/refs/main")));

        stub.clearRequests();
        assertEquals(r.out(), download("tf_mobilenetv3_small_minimal_100").out(), "bare arch = default tag, cached");
        assertEquals(r.out(), download(NAME, "--offline").out());
        assertEquals(r.out(), download(NAME, "--revision", commit, "--offline").out());
        assertEquals(List.of(), stub.requests());

        CliTest.Result refreshed = download(NAME, "--check-updates");
        assertEquals(r.out(), refreshed.out());
        assertEquals(List.of("HEAD"), stub.requests().stream().map(HubStub.Request::method).toList());
    }

    @Test
    void severalModelsInOneCall() {
        String other = "timm/mobilenetv3_small_050.lamb_in1k";
        stub.lfs(other, "model.safetensors", new byte[] {1, 2, 3});
        CliTest.Result r = download(NAME, "mobilenetv3_small_050");
        assertEquals(0, r.code(), r.err());
        List<String> lines = r.out().lines().toList();
        assertEquals(3, lines.size(), r.out());
        assertTrue(lines.get(2).endsWith("models--timm--mobilenetv3_small_050.lamb_in1k/snapshots/"
                + HubStub.commit(other) + "/model.safetensors"), lines.get(2));
    }

    @Test
    void errorsAreOneLine() {
        assertCleanError(download(NAME, "--offline"), "is not in the Hub cache");
        assertCleanError(download("mobilenetv2_100.ra_in1k"), "repository timm/mobilenetv2_100.ra_in1k not found");
        assertCleanError(download("mobilenetv2_035"), "mobilenetv2_035 has no pretrained weights");
        assertCleanError(download("mobilenetv2_100.nope"), "unknown pretrained tag 'nope'");
        assertCleanError(download(NAME, "--revision", "../x"), "invalid Hub revision '../x'");
        stub.requiredToken = "hf_x";
        assertCleanError(download(NAME), "set HF_TOKEN");
        stub.requiredToken = null;
        stub.corrupt = true;
        assertCleanError(download(NAME), "does not match its sha256");
        assertCleanError(run("download", "--endpoint", "ftp://x", "--cache-dir", cache.toString(), NAME),
                "must be an http(s) URL");
    }

    @Test
    void helpListsTheCommand() {
        CliTest.Result h = run("--help");
        assertTrue(h.out().contains("download"), h.out());
        CliTest.Result d = run("download", "--help");
        assertEquals(0, d.code());
        assertTrue(d.out().contains("--offline") && d.out().contains("--revision") && d.out().contains("--endpoint"),
                d.out());
    }
}

package dev.mobilenet.hub;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mobilenet.hub.HubException.Kind;
import dev.mobilenet.testing.Hostile;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Hub client against a hostile cache, a hostile server and secrets in the endpoint (issue 11: 8, 11, 12). */
class HubHostileTest {
    static final String REPO = HubClientTest.REPO;
    static final String WEIGHTS = HubClientTest.WEIGHTS;

    @TempDir
    Path dir;

    HubStub stub;
    byte[] weights;
    String sha;
    Path cache;

    @BeforeEach
    void start() {
        weights = HubStub.randomBytes(200_000, 2);
        stub = HubStub.start().lfs(REPO, WEIGHTS, weights);
        sha = HubStub.sha256(weights);
        cache = dir.resolve("cache");
    }

    @AfterEach
    void stop() {
        stub.close();
    }

    HubClient client(boolean checkForUpdates) {
        return new HubClient(HubSettings.of(cache).withEndpoint(stub.endpoint()).withCheckForUpdates(checkForUpdates));
    }

    Path blob() {
        return cache.resolve("models--timm--mobilenetv3_small_050.lamb_in1k/blobs/" + sha);
    }

    @Test
    void plantedIncompleteSymlinkIsRemovedNotWrittenThrough() throws IOException {
        Path victim = dir.resolve("victim.txt");
        Files.writeString(victim, "precious");
        Files.createDirectories(blob().getParent());
        Files.createSymbolicLink(blob().resolveSibling(sha + ".incomplete"), victim);

        Path p = client(false).download(REPO, WEIGHTS, "main", ProgressListener.NONE);

        assertArrayEquals(weights, Files.readAllBytes(p));
        assertEquals("precious", Files.readString(victim));
    }

    @Test
    void truncatedCachedBlobIsRepairedWhenTheHubIsAsked() throws IOException {
        Path p = client(false).download(REPO, WEIGHTS, "main", ProgressListener.NONE);
        try (RandomAccessFile f = new RandomAccessFile(blob().toFile(), "rw")) {
            f.setLength(weights.length / 2);
        }
        List<String> notices = new ArrayList<>();
        ProgressListener l = HubStub.noticesTo(notices);
        assertEquals(p, client(true).download(REPO, WEIGHTS, "main", l));
        assertArrayEquals(weights, Files.readAllBytes(p));
        assertEquals(1, notices.size(), notices.toString());
        assertTrue(notices.get(0).contains("damaged"), notices.get(0));
    }

    @Test
    void alteredCachedBlobOfTheRightSizeIsRepairedWhenTheHubIsAsked() throws IOException {
        Path p = client(false).download(REPO, WEIGHTS, "main", ProgressListener.NONE);
        byte[] bad = weights.clone();
        bad[1000] ^= 1;
        Files.write(blob(), bad);
        client(true).download(REPO, WEIGHTS, "main", ProgressListener.NONE);
        assertArrayEquals(weights, Files.readAllBytes(p));
    }

    @Test
    void redirectToAFileUrlIsRefusedWithOneLine() {
        stub.lfsLocation = "file:///etc/passwd";
        HubException e = assertThrows(HubException.class,
                () -> client(false).download(REPO, WEIGHTS, "main", ProgressListener.NONE));
        assertEquals(Kind.BAD_RESPONSE, e.kind());
        assertTrue(e.getMessage().contains("non-HTTP URL 'file:///etc/passwd'"), e.getMessage());
        Hostile.checkMessage(e);
        assertFalse(Files.exists(blob()));
    }

    @Test
    void credentialsInTheEndpointNeverAppearInMessages() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        HubSettings dead = HubSettings.of(cache).withEndpoint("http://user:s3cret@127.0.0.1:" + port)
                .withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(5));
        HubException e = assertThrows(HubException.class,
                () -> new HubClient(dead).download(REPO, WEIGHTS, "main", ProgressListener.NONE));
        assertFalse(e.getMessage().contains("s3cret"), e.getMessage());
        assertTrue(e.getMessage().contains("http://***@127.0.0.1:" + port), e.getMessage());

        HubSettings live = HubSettings.of(cache).withEndpoint(stub.endpoint().replace("://", "://user:s3cret@"));
        HubException missing = assertThrows(HubException.class,
                () -> new HubClient(live).download(REPO, "no-such-file.bin", "main", ProgressListener.NONE));
        assertFalse(missing.getMessage().contains("s3cret"), missing.getMessage());
    }

    @Test
    void redactionKeepsUrlsWithoutCredentials() {
        assertEquals("see http://***@h:1/x and https://hub.example/y", Downloads.redact(
                "see http://u:p@h:1/x and https://hub.example/y"));
        assertEquals("no url", Downloads.redact("no url"));
    }
}

package dev.mobilenet.hub;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mobilenet.hub.HubException.Kind;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HubClientTest {
    static final String REPO = "timm/mobilenetv3_small_050.lamb_in1k";
    static final String WEIGHTS = "model.safetensors";
    static final String CONFIG = "config.json";

    @TempDir
    Path cache;

    HubStub stub;
    byte[] weights;
    byte[] config;
    String sha;
    String commit;

    @BeforeEach
    void start() {
        weights = HubStub.randomBytes(300_000, 1);
        config = "{\"architecture\": \"mobilenetv3_small_050\"}".getBytes(StandardCharsets.UTF_8);
        stub = HubStub.start().lfs(REPO, WEIGHTS, weights).regular(REPO, CONFIG, config);
        sha = HubStub.sha256(weights);
        commit = HubStub.commit(REPO);
    }

    @AfterEach
    void stop() {
        stub.close();
    }

    HubSettings settings() {
        return HubSettings.of(cache).withEndpoint(stub.endpoint());
    }

    HubClient client() {
        return new HubClient(settings());
    }

    Path repoDir() {
        return cache.resolve("models--timm--mobilenetv3_small_050.lamb_in1k");
    }

    /** Every file under the cache, for asserting that nothing partial was left. */
    List<String> files() throws IOException {
        if (!Files.exists(cache)) {
            return List.of();
        }
        try (Stream<Path> s = Files.walk(cache)) {
            return s.filter(p -> !Files.isDirectory(p)).map(p -> cache.relativize(p).toString()).sorted().toList();
        }
    }

    @Test
    void coldCacheWritesHuggingFaceHubLayout() throws IOException {
        HubClient c = client();
        Path w = c.download(REPO, WEIGHTS, "main", ProgressListener.NONE);
        Path cfg = c.download(REPO, CONFIG, "main", ProgressListener.NONE);

        Path snap = repoDir().resolve("snapshots").resolve(commit);
        assertEquals(snap.resolve(WEIGHTS), w);
        assertEquals(snap.resolve(CONFIG), cfg);
        assertTrue(Files.isSymbolicLink(w));
        assertEquals(Path.of("../../blobs/" + sha), Files.readSymbolicLink(w));
        assertEquals(Path.of("../../blobs/" + HubStub.gitSha1(config)), Files.readSymbolicLink(cfg));
        assertArrayEquals(weights, Files.readAllBytes(w));
        assertArrayEquals(config, Files.readAllBytes(cfg));
        assertEquals(commit, Files.readString(repoDir().resolve("refs/main")), "refs/main holds the commit, no newline");
        assertTrue(Files.isRegularFile(cache.resolve(".locks/models--timm--mobilenetv3_small_050.lamb_in1k/" + sha
                + ".lock")));
        assertTrue(Files.readString(cache.resolve("CACHEDIR.TAG")).startsWith("Signature: 8a477f597d28d172789f06886806bc55"));
        assertFalse(files().stream().anyMatch(f -> f.endsWith(".incomplete") || f.endsWith(".tmp")), files().toString());

        // HEAD on the Hub (302 read, not followed), then one GET straight to the CDN; config.json: HEAD + GET on the Hub.
        assertEquals(2, stub.requests("hub", "HEAD").size());
        assertEquals(1, stub.requests("cdn", "GET").size());
        assertEquals(1, stub.requests("hub", "GET").size());
        assertTrue(stub.requests("cdn", "GET").get(0).path().equals("/cdn/" + sha));
        assertNull(stub.requests("cdn", "GET").get(0).header("Authorization"));
    }

    @Test
    void warmCacheSendsNoRequest() throws IOException {
        Path first = client().download(REPO, WEIGHTS, "main", ProgressListener.NONE);
        client().download(REPO, CONFIG, "main", ProgressListener.NONE);
        stub.clearRequests();
        assertEquals(first, client().download(REPO, WEIGHTS, "main", ProgressListener.NONE));
        assertEquals(first, client().download(REPO, WEIGHTS, commit, ProgressListener.NONE), "commit as revision");
        client().download(REPO, CONFIG, "main", ProgressListener.NONE);
        assertEquals(List.of(), stub.requests());
    }

    @Test
    void checkForUpdatesAsksTheHubButDownloadsNothingNew() {
        Path first = client().download(REPO, WEIGHTS, "main", ProgressListener.NONE);
        stub.clearRequests();
        HubClient c = new HubClient(settings().withCheckForUpdates(true));
        assertEquals(first, c.download(REPO, WEIGHTS, "main", ProgressListener.NONE));
        assertEquals(1, stub.requests().size());
        assertEquals("HEAD", stub.requests().get(0).method());
    }

    @Test
    void offlineHitAndMissTouchNoNetwork() throws IOException {
        HubClient offline = new HubClient(settings().withOffline(true));
        HubException miss = assertThrows(HubException.class,
                () -> offline.download(REPO, WEIGHTS, "main", ProgressListener.NONE));
        assertEquals(Kind.OFFLINE_MISS, miss.kind());
        assertTrue(miss.getMessage().contains("not in the Hub cache") && miss.getMessage().contains("HF_HUB_OFFLINE"),
                miss.getMessage());
        assertEquals(1, miss.getMessage().lines().count());
        assertEquals(List.of(), stub.requests());
        assertEquals(List.of(), files(), "offline look-ups write nothing");

        Path online = client().download(REPO, WEIGHTS, "main", ProgressListener.NONE);
        stub.clearRequests();
        assertEquals(online, offline.download(REPO, WEIGHTS, "main", ProgressListener.NONE));
        assertEquals(online, offline.download(REPO, WEIGHTS, commit, ProgressListener.NONE));
        assertEquals(List.of(), stub.requests());
        HubException otherRevision = assertThrows(HubException.class,
                () -> offline.download(REPO, WEIGHTS, "v2", ProgressListener.NONE));
        assertTrue(otherRevision.getMessage().contains("at revision v2"), otherRevision.getMessage());
    }

    @Test
    void resumesAnIncompleteDownloadWithARangeRequest() throws IOException {
        Files.createDirectories(repoDir().resolve("blobs"));
        Files.write(repoDir().resolve("blobs/" + sha + ".incomplete"), java.util.Arrays.copyOf(weights, 123_457));
        List<long[]> progress = new ArrayList<>();
        List<Long> startedAt = new ArrayList<>();
        ProgressListener l = new ProgressListener() {
            @Override
            public void started(String file, long total, long done) {
                startedAt.add(done);
            }

            @Override
            public void progress(long done, long total) {
                progress.add(new long[] {done, total});
            }
        };
        Path w = client().download(REPO, WEIGHTS, "main", l);
        assertArrayEquals(weights, Files.readAllBytes(w));
        List<HubStub.Request> gets = stub.requests("cdn", "GET");
        assertEquals(1, gets.size());
        assertEquals("bytes=123457-", gets.get(0).header("Range"));
        assertEquals(List.of(123_457L), startedAt);
        assertEquals(weights.length, progress.get(progress.size() - 1)[0]);
        assertEquals(weights.length, progress.get(progress.size() - 1)[1]);
        assertFalse(Files.exists(repoDir().resolve("blobs/" + sha + ".incomplete")));
    }

    @Test
    void serverIgnoringRangeRestartsFromZero() throws IOException {
        Files.createDirectories(repoDir().resolve("blobs"));
        byte[] stale = new byte[5000];
        Files.write(repoDir().resolve("blobs/" + sha + ".incomplete"), stale);
        stub.ignoreRange = true;
        Path w = client().download(REPO, WEIGHTS, "main", ProgressListener.NONE);
        assertArrayEquals(weights, Files.readAllBytes(w), "the stale prefix was dropped, not kept");
        assertEquals("bytes=5000-", stub.requests("cdn", "GET").get(0).header("Range"));
    }

    @Test
    void rangeNotSatisfiableRestartsFromZero() throws IOException {
        Files.createDirectories(repoDir().resolve("blobs"));
        Files.write(repoDir().resolve("blobs/" + sha + ".incomplete"), java.util.Arrays.copyOf(weights, 1000));
        stub.rangeNotSatisfiable.set(1);
        Path w = client().download(REPO, WEIGHTS, "main", ProgressListener.NONE);
        assertArrayEquals(weights, Files.readAllBytes(w));
        List<HubStub.Request> gets = stub.requests("cdn", "GET");
        assertEquals(2, gets.size());
        assertEquals("bytes=1000-", gets.get(0).header("Range"));
        assertNull(gets.get(1).header("Range"));
    }

    @Test
    void brokenConnectionIsResumedInTheSameCall() throws IOException {
        stub.dropMidway.set(2);
        Path w = client().download(REPO, WEIGHTS, "main", ProgressListener.NONE);
        assertArrayEquals(weights, Files.readAllBytes(w));
        List<HubStub.Request> gets = stub.requests("cdn", "GET");
        assertEquals(3, gets.size());
        assertNull(gets.get(0).header("Range"));
        // The server drops the connection after writing half; how much of that arrived before the reset depends
        // on the socket buffers, so the resume starts somewhere in (0, half].
        String range = gets.get(1).header("Range");
        assertTrue(range != null && range.startsWith("bytes=") && range.endsWith("-"), range);
        long start = Long.parseLong(range.substring(6, range.length() - 1));
        assertTrue(start > 0 && start <= weights.length / 2, range);
    }

    @Test
    void stalledConnectionTimesOutAndIsResumed() throws IOException {
        stub.stallMidway.set(1);
        stub.stallMillis = 4000;
        HubClient c = new HubClient(settings().withTimeouts(Duration.ofSeconds(5), Duration.ofMillis(400)));
        long t0 = System.nanoTime();
        Path w = c.download(REPO, WEIGHTS, "main", ProgressListener.NONE);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertArrayEquals(weights, Files.readAllBytes(w));
        assertTrue(ms < 3500, "gave up on the stalled response after " + ms + " ms");
        List<HubStub.Request> gets = stub.requests("cdn", "GET");
        assertEquals(2, gets.size());
        assertEquals("bytes=" + weights.length / 2 + "-", gets.get(1).header("Range"));
        assertFalse(Thread.currentThread().isInterrupted());
    }

    @Test
    void connectionBrokenTooOftenKeepsThePartialFileForTheNextRun() throws IOException {
        Path partial = repoDir().resolve("blobs/" + sha + ".incomplete");
        Files.createDirectories(partial.getParent());
        Files.write(partial, java.util.Arrays.copyOf(weights, 1000));
        stub.dropMidway.set(100);
        stub.dropAfter = 0;
        HubException e = assertThrows(HubException.class,
                () -> client().download(REPO, WEIGHTS, "main", ProgressListener.NONE));
        assertEquals(Kind.INTERRUPTED, e.kind());
        assertTrue(e.getMessage().contains("1000 of " + weights.length + " bytes are kept")
                && e.getMessage().contains("next run resumes"), e.getMessage());
        assertEquals(1, e.getMessage().lines().count());
        assertEquals(6, stub.requests("cdn", "GET").size(), "a first try and five retries");
        assertEquals(1000, Files.size(partial));
        stub.dropMidway.set(0);
        stub.clearRequests();
        assertArrayEquals(weights, Files.readAllBytes(client().download(REPO, WEIGHTS, "main",
                ProgressListener.NONE)));
        assertEquals("bytes=1000-", stub.requests("cdn", "GET").get(0).header("Range"));
    }

    @Test
    void damagedRefFileIsNamed() throws IOException {
        Files.createDirectories(repoDir().resolve("refs"));
        Files.writeString(repoDir().resolve("refs/main"), "not a commit");
        HubException e = assertThrows(HubException.class, () -> new HubClient(settings().withOffline(true))
                .download(REPO, WEIGHTS, "main", ProgressListener.NONE));
        assertEquals(Kind.CACHE_IO, e.kind());
        assertTrue(e.getMessage().contains("refs/main does not hold a commit hash"), e.getMessage());
    }

    @Test
    void corruptDownloadFailsAndLeavesNothing() throws IOException {
        stub.corrupt = true;
        HubException e = assertThrows(HubException.class,
                () -> client().download(REPO, WEIGHTS, "main", ProgressListener.NONE));
        assertEquals(Kind.CORRUPT, e.kind());
        assertTrue(e.getMessage().contains("sha256") && e.getMessage().contains(sha), e.getMessage());
        assertEquals(1, e.getMessage().lines().count());
        assertFalse(files().stream().anyMatch(f -> f.contains("blobs/") || f.contains("snapshots/")), files().toString());

        stub.corrupt = false;
        assertArrayEquals(weights, Files.readAllBytes(client().download(REPO, WEIGHTS, "main", ProgressListener.NONE)));
    }

    @Test
    void corruptIncompleteFileIsDetectedAfterResuming() throws IOException {
        Files.createDirectories(repoDir().resolve("blobs"));
        byte[] wrongPrefix = java.util.Arrays.copyOf(weights, 4096);
        wrongPrefix[7] ^= 1;
        Files.write(repoDir().resolve("blobs/" + sha + ".incomplete"), wrongPrefix);
        HubException e = assertThrows(HubException.class,
                () -> client().download(REPO, WEIGHTS, "main", ProgressListener.NONE));
        assertEquals(Kind.CORRUPT, e.kind());
        assertFalse(Files.exists(repoDir().resolve("blobs/" + sha + ".incomplete")));
        assertFalse(Files.exists(repoDir().resolve("blobs/" + sha)));
    }

    @Test
    void regularFileSizeIsChecked() throws IOException {
        // A non-LFS file has a git-sha1 etag: no sha256, but the length must match Content-Length of the HEAD.
        stub.regular(REPO, "short.json", "{}".getBytes(StandardCharsets.UTF_8));
        Path p = client().download(REPO, "short.json", "main", ProgressListener.NONE);
        assertEquals("{}", Files.readString(p));
        assertEquals(Path.of("../../blobs/" + HubStub.gitSha1("{}".getBytes(StandardCharsets.UTF_8))),
                Files.readSymbolicLink(p));
    }

    @Test
    void missingFileAndMissingRepositoryAre404WithTheUrl() throws IOException {
        HubException file = assertThrows(HubException.class,
                () -> client().download(REPO, "pytorch_model.bin", "main", ProgressListener.NONE));
        assertEquals(Kind.NOT_FOUND, file.kind());
        assertTrue(file.getMessage().contains(stub.endpoint() + "/" + REPO + "/resolve/main/pytorch_model.bin"),
                file.getMessage());
        assertTrue(Files.exists(repoDir().resolve(".no_exist/" + commit + "/pytorch_model.bin")),
                "recorded as huggingface_hub does");

        HubException repo = assertThrows(HubException.class,
                () -> client().download("timm/nope.x", WEIGHTS, "main", ProgressListener.NONE));
        assertEquals(Kind.NOT_FOUND, repo.kind());
        assertTrue(repo.getMessage().contains("repository timm/nope.x not found")
                && repo.getMessage().contains(stub.endpoint() + "/timm/nope.x/resolve/main/model.safetensors"),
                repo.getMessage());

        HubException rev = assertThrows(HubException.class,
                () -> client().download(REPO, WEIGHTS, "v9", ProgressListener.NONE));
        assertEquals(Kind.NOT_FOUND, rev.kind());
        assertTrue(rev.getMessage().contains("revision 'v9' not found"), rev.getMessage());
        assertFalse(files().stream().anyMatch(f -> f.contains("blobs/")), files().toString());
    }

    @Test
    void optionalFileKnownAbsentIsNotAskedAgain() {
        stub.repo("timm/empty.x");
        stub.lfs("timm/empty.x", WEIGHTS, weights);
        HubClient c = client();
        assertEquals(Optional.empty(), c.downloadIfExists("timm/empty.x", CONFIG, "main", ProgressListener.NONE));
        stub.clearRequests();
        assertEquals(Optional.empty(), c.downloadIfExists("timm/empty.x", CONFIG, "main", ProgressListener.NONE));
        assertEquals(List.of(), stub.requests());
        HubClient offline = new HubClient(settings().withOffline(true));
        assertEquals(Optional.empty(), offline.downloadIfExists("timm/empty.x", CONFIG, "main",
                ProgressListener.NONE));
    }

    @Test
    void gatedRepositoryNeedsTheTokenWhichNeverLeavesTheHubOrigin() throws IOException {
        stub.requiredToken = "hf_secret";
        HubException e = assertThrows(HubException.class,
                () -> client().download(REPO, WEIGHTS, "main", ProgressListener.NONE));
        assertEquals(Kind.ACCESS_DENIED, e.kind());
        assertTrue(e.getMessage().contains("HTTP 401") && e.getMessage().contains("HF_TOKEN"), e.getMessage());
        assertFalse(files().stream().anyMatch(f -> f.contains("blobs/")));

        HubClient wrong = new HubClient(settings().withToken(Optional.of("hf_wrong")));
        HubException w = assertThrows(HubException.class,
                () -> wrong.download(REPO, WEIGHTS, "main", ProgressListener.NONE));
        assertTrue(w.getMessage().contains("invalid or has no access"), w.getMessage());

        stub.clearRequests();
        HubClient c = new HubClient(settings().withToken(Optional.of("hf_secret")));
        Path p = c.download(REPO, WEIGHTS, "main", ProgressListener.NONE);
        assertArrayEquals(weights, Files.readAllBytes(p));
        for (HubStub.Request r : stub.requests()) {
            if (r.server().equals("hub")) {
                assertEquals("Bearer hf_secret", r.header("Authorization"), r.toString());
            } else {
                assertNull(r.header("Authorization"), "token forwarded to the CDN: " + r);
            }
        }
        assertEquals(1, stub.requests("cdn", "GET").size());
    }

    @Test
    void sameOriginRedirectKeepsTheToken() throws IOException {
        stub.requiredToken = "hf_secret";
        stub.crossOriginCdn = false;
        HubClient c = new HubClient(settings().withToken(Optional.of("hf_secret")));
        assertArrayEquals(weights, Files.readAllBytes(c.download(REPO, WEIGHTS, "main", ProgressListener.NONE)));
        List<HubStub.Request> gets = stub.requests("hub", "GET");
        assertEquals(1, gets.size());
        assertTrue(gets.get(0).path().startsWith("/cdn/"));
        assertEquals("Bearer hf_secret", gets.get(0).header("Authorization"));
    }

    @Test
    void relativeRedirectOfARenamedRepositoryIsFollowed() throws IOException {
        stub.rename("timm/old_name.x", REPO);
        Path p = client().download("timm/old_name.x", WEIGHTS, "main", ProgressListener.NONE);
        assertArrayEquals(weights, Files.readAllBytes(p));
        assertTrue(p.startsWith(cache.resolve("models--timm--old_name.x")), "cached under the name asked for");
        List<HubStub.Request> heads = stub.requests("hub", "HEAD");
        assertEquals(List.of("/timm/old_name.x/resolve/main/model.safetensors",
                "/" + REPO + "/resolve/main/model.safetensors"), heads.stream().map(HubStub.Request::path).toList());
        assertEquals(1, stub.requests("cdn", "GET").size());
    }

    @Test
    void unreachableEndpointFailsClearlyOrFallsBackToTheCache() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        HubSettings dead = settings().withEndpoint("http://127.0.0.1:" + port);
        HubException e = assertThrows(HubException.class,
                () -> new HubClient(dead).download(REPO, WEIGHTS, "main", ProgressListener.NONE));
        assertEquals(Kind.UNREACHABLE, e.kind());
        assertTrue(e.getMessage().startsWith("cannot reach http://127.0.0.1:" + port + " (")
                && e.getMessage().contains("not in the Hub cache"), e.getMessage());
        assertEquals(1, e.getMessage().lines().count());

        Path cached = client().download(REPO, WEIGHTS, "main", ProgressListener.NONE);
        List<String> notices = new ArrayList<>();
        ProgressListener l = HubStub.noticesTo(notices);
        assertEquals(cached, new HubClient(dead.withCheckForUpdates(true)).download(REPO, WEIGHTS, "main", l));
        assertEquals(1, notices.size());
        assertTrue(notices.get(0).contains("using the cached copy") && notices.get(0).contains("HF_HUB_OFFLINE"),
                notices.get(0));
    }

    @Test
    void unknownHostIsNamed() {
        HubSettings s = settings().withEndpoint("http://no-such-host.invalid")
                .withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(5));
        HubException e = assertThrows(HubException.class,
                () -> new HubClient(s).download(REPO, WEIGHTS, "main", ProgressListener.NONE));
        assertEquals(Kind.UNREACHABLE, e.kind());
        assertTrue(e.getMessage().contains("cannot resolve host no-such-host.invalid"), e.getMessage());
    }

    @Test
    void hubErrorFallsBackToTheCacheLikeHuggingfaceHub() {
        Path cached = client().download(REPO, WEIGHTS, "main", ProgressListener.NONE);
        stub.forceStatus = 503;
        HubClient c = new HubClient(settings().withCheckForUpdates(true));
        assertEquals(cached, c.download(REPO, WEIGHTS, "main", ProgressListener.NONE));
        HubException e = assertThrows(HubException.class,
                () -> c.download(REPO, "other.safetensors", "main", ProgressListener.NONE));
        assertEquals(Kind.BAD_RESPONSE, e.kind());
        assertTrue(e.getMessage().contains("HTTP 503"), e.getMessage());
    }

    @Test
    void responseWithoutCommitIsNotTheHub() {
        stub.omitCommit = true;
        HubException e = assertThrows(HubException.class,
                () -> client().download(REPO, WEIGHTS, "main", ProgressListener.NONE));
        assertEquals(Kind.BAD_RESPONSE, e.kind());
        assertTrue(e.getMessage().contains("X-Repo-Commit") && e.getMessage().contains("HF_ENDPOINT"),
                e.getMessage());
    }

    @Test
    void diskFullDeletesThePartialFile() throws IOException {
        BlobWriter.Opener full = path -> {
            BlobWriter real = BlobWriter.append(path);
            return new BlobWriter() {
                long written;

                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    if (written + len > 100_000) {
                        throw new IOException("No space left on device");
                    }
                    real.write(b, off, len);
                    written += len;
                }

                @Override
                public void truncate() throws IOException {
                    real.truncate();
                }

                @Override
                public void force() throws IOException {
                    real.force();
                }

                @Override
                public void close() throws IOException {
                    real.close();
                }
            };
        };
        HubException e = assertThrows(HubException.class,
                () -> new HubClient(settings(), full).download(REPO, WEIGHTS, "main", ProgressListener.NONE));
        assertEquals(Kind.DISK_FULL, e.kind());
        assertTrue(e.getMessage().startsWith("no space left on device while downloading " + REPO + "/" + WEIGHTS)
                && e.getMessage().contains("deleted"), e.getMessage());
        assertFalse(files().stream().anyMatch(f -> f.contains("blobs/") || f.contains("snapshots/")), files().toString());
    }

    @Test
    void symlinksOffMakesCopies() throws IOException {
        Path w = new HubClient(settings().withSymlinks(false)).download(REPO, WEIGHTS, "main", ProgressListener.NONE);
        assertFalse(Files.isSymbolicLink(w));
        assertArrayEquals(weights, Files.readAllBytes(w));
        assertTrue(Files.isRegularFile(repoDir().resolve("blobs/" + sha)));
    }

    @Test
    void concurrentDownloadsOfOneBlobFetchItOnce() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Path>> fs = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                Callable<Path> task = () -> client().download(REPO, WEIGHTS, "main", ProgressListener.NONE);
                fs.add(pool.submit(task));
            }
            for (Future<Path> f : fs) {
                assertArrayEquals(weights, Files.readAllBytes(f.get()));
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(1, stub.requests("cdn", "GET").size());
    }

    @Test
    void revisionAndRepoIdAreValidated() {
        assertThrows(dev.mobilenet.MobileNetException.class,
                () -> client().download(REPO, WEIGHTS, "../../etc", ProgressListener.NONE));
        assertThrows(dev.mobilenet.MobileNetException.class,
                () -> client().download("timm/../x", WEIGHTS, "main", ProgressListener.NONE));
        assertThrows(dev.mobilenet.MobileNetException.class,
                () -> client().download(REPO, "../model.safetensors", "main", ProgressListener.NONE));
        assertEquals(List.of(), stub.requests());
    }

    @Test
    void urlsAndEtagsAsHuggingfaceHubMakesThem() {
        assertEquals("https://huggingface.co/timm/a.b/resolve/refs%2Fpr%2F1/dir/model.safetensors",
                HubUrls.resolveUrl("https://huggingface.co", "timm/a.b", "refs/pr/1", "dir/model.safetensors"));
        assertEquals("abc", HubClient.normalizeEtag("W/\"abc\""));
        assertEquals("abc", HubClient.normalizeEtag("\"abc\""));
        assertEquals("abc", HubClient.normalizeEtag("abc"));
    }
}

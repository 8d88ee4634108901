package dev.mobilenet.hub;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mobilenet.MobileNetException;
import dev.mobilenet.arch.Labels;
import dev.mobilenet.arch.ModelSpec;
import dev.mobilenet.model.MobileNet;
import dev.mobilenet.model.Weights;
import dev.mobilenet.nn.ParamRef;
import dev.mobilenet.preprocess.Interpolation;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TimmHubTest {
    static final String NAME = "mobilenetv3_small_050.lamb_in1k";
    static final String REPO = "timm/" + NAME;

    @TempDir
    static Path shared;
    static byte[] weights;
    static MobileNet saved;

    @TempDir
    Path cache;
    HubStub stub;

    @BeforeAll
    static void makeWeights() throws IOException {
        saved = MobileNet.create(ModelSpec.parse("mobilenetv3_small_050"), 1000, 11L);
        Path f = shared.resolve("w.safetensors");
        Weights.save(saved, f);
        weights = Files.readAllBytes(f);
    }

    @BeforeEach
    void start() {
        stub = HubStub.start();
    }

    @AfterEach
    void stop() {
        stub.close();
    }

    HubSettings settings() {
        return HubSettings.of(cache).withEndpoint(stub.endpoint());
    }

    /** timm's config.json for the tag, with crop_pct changed so that the Hub's value is told from the registry's. */
    static byte[] hubConfig() throws IOException {
        String json = new String(TimmConfigTest.fixture(NAME), StandardCharsets.UTF_8);
        assertTrue(json.contains("\"crop_pct\": 0.875"));
        return json.replace("\"crop_pct\": 0.875", "\"crop_pct\": 0.9").getBytes(StandardCharsets.UTF_8);
    }

    static void assertLoadsSavedModel(ResolvedWeights r) {
        MobileNet net = MobileNet.create(r.spec(), r.config().numClasses(), 0L);
        Weights.load(net, r.weights());
        Map<String, ParamRef> want = saved.stateDict();
        for (Map.Entry<String, ParamRef> e : net.stateDict().entrySet()) {
            if (!e.getValue().isCounter()) {
                assertArrayEquals(want.get(e.getKey()).data(), e.getValue().data(), e.getKey());
            }
        }
    }

    @Test
    void resolvesDownloadsAndMergesTheHubConfig() throws IOException {
        stub.lfs(REPO, TimmHub.WEIGHTS_FILE, weights).regular(REPO, TimmHub.CONFIG_FILE, hubConfig());
        ResolvedWeights r = new TimmHub(settings()).resolve("mobilenetv3_small_050");
        assertEquals(NAME, r.name());
        assertEquals(REPO, r.repoId());
        assertEquals("main", r.revision());
        assertEquals(HubStub.commit(REPO), r.commit());
        assertEquals(cache.resolve("models--timm--" + NAME + "/snapshots/" + r.commit() + "/model.safetensors"),
                r.weights());
        assertTrue(r.configFile().isPresent());
        assertEquals(0.9, r.config().preprocess().cropPct(), "the Hub's config.json wins");
        assertEquals(Interpolation.BICUBIC, r.config().preprocess().interpolation());
        assertEquals(1000, r.config().numClasses());
        assertEquals(Optional.of(288), r.config().numFeatures(), "timm's num_features of config.json");
        assertEquals(1000, r.labels().size());
        assertEquals(new Labels.Label("n01440764", "tench, Tinca tinca"), r.labels().get(0));
        assertLoadsSavedModel(r);
        assertEquals(0.9, r.config().toPretrainedCfg().preprocess().cropPct());
    }

    @Test
    void repositoryWithoutConfigUsesTheRegistry() {
        stub.lfs(REPO, TimmHub.WEIGHTS_FILE, weights);
        ResolvedWeights r = new TimmHub(settings()).resolve(NAME);
        assertEquals(Optional.empty(), r.configFile());
        assertEquals(0.875, r.config().preprocess().cropPct());
        assertEquals(Optional.of("lamb_in1k"), r.config().tag());
        assertLoadsSavedModel(r);
        stub.clearRequests();
        new TimmHub(settings()).resolve(NAME);
        assertEquals(List.of(), stub.requests(), "the absence of config.json is cached too");
    }

    @Test
    void secondResolveAndOfflineResolveUseTheCacheOnly() throws IOException {
        stub.lfs(REPO, TimmHub.WEIGHTS_FILE, weights).regular(REPO, TimmHub.CONFIG_FILE, hubConfig());
        ResolvedWeights first = new TimmHub(settings()).resolve(NAME);
        stub.clearRequests();
        ResolvedWeights again = new TimmHub(settings()).resolve(NAME);
        ResolvedWeights offline = new TimmHub(settings().withOffline(true)).resolve(NAME);
        assertEquals(List.of(), stub.requests());
        assertEquals(first.weights(), again.weights());
        assertEquals(first.weights(), offline.weights());
        assertEquals(0.9, offline.config().preprocess().cropPct());
    }

    @Test
    void offlineWithoutConfigFallsBackToTheRegistryWithANotice() throws IOException {
        stub.lfs(REPO, TimmHub.WEIGHTS_FILE, weights).regular(REPO, TimmHub.CONFIG_FILE, hubConfig());
        Path w = new HubClient(settings()).download(REPO, TimmHub.WEIGHTS_FILE, "main", ProgressListener.NONE);
        List<String> notices = new ArrayList<>();
        ProgressListener l = HubStub.noticesTo(notices);
        ResolvedWeights r = new TimmHub(settings().withOffline(true)).resolve(NAME, "main", l);
        assertEquals(w, r.weights());
        assertEquals(0.875, r.config().preprocess().cropPct());
        assertEquals(1, notices.size());
        assertTrue(notices.get(0).contains("using the built-in config"), notices.get(0));
    }

    @Test
    void offlineMissIsOneClearLine() {
        HubException e = assertThrows(HubException.class,
                () -> new TimmHub(settings().withOffline(true)).resolve("mobilenetv2_100"));
        assertEquals(HubException.Kind.OFFLINE_MISS, e.kind());
        assertEquals("timm/mobilenetv2_100.ra_in1k/model.safetensors is not in the Hub cache " + cache
                + " and offline mode is on (HF_HUB_OFFLINE); download it once online", e.getMessage());
        assertEquals(List.of(), stub.requests());
    }

    @Test
    void namesWithoutPretrainedWeights() {
        MobileNetException e = assertThrows(MobileNetException.class,
                () -> new TimmHub(settings()).resolve("mobilenetv2_035"));
        assertTrue(e.getMessage().startsWith("mobilenetv2_035 has no pretrained weights"), e.getMessage());
        assertThrows(MobileNetException.class, () -> new TimmHub(settings()).resolve("mobilenetv2_100.nope"));
        assertEquals(List.of(), stub.requests());
    }

    /**
     * A cache laid out by hand exactly as Python's huggingface_hub writes it (hf_hub_download of model.safetensors
     * and config.json at main) is used offline, and online without a request.
     */
    @Test
    void cacheWrittenByPythonIsUsed() throws IOException {
        String commit = "0123456789abcdef0123456789abcdef01234567";
        byte[] config = hubConfig();
        String sha = HubStub.sha256(weights);
        String gitSha = HubStub.gitSha1(config);
        Path repo = cache.resolve("models--timm--" + NAME);
        Files.createDirectories(repo.resolve("blobs"));
        Files.createDirectories(repo.resolve("refs"));
        Files.createDirectories(repo.resolve("snapshots/" + commit));
        Files.createDirectories(cache.resolve(".locks/models--timm--" + NAME));
        Files.write(repo.resolve("blobs/" + sha), weights);
        Files.write(repo.resolve("blobs/" + gitSha), config);
        Files.writeString(repo.resolve("refs/main"), commit);
        Files.createSymbolicLink(repo.resolve("snapshots/" + commit + "/model.safetensors"),
                Path.of("../../blobs/" + sha));
        Files.createSymbolicLink(repo.resolve("snapshots/" + commit + "/config.json"),
                Path.of("../../blobs/" + gitSha));

        for (HubSettings s : List.of(settings().withOffline(true), settings())) {
            ResolvedWeights r = new TimmHub(s).resolve(NAME);
            assertEquals(commit, r.commit());
            assertEquals(repo.resolve("snapshots/" + commit + "/model.safetensors"), r.weights());
            assertEquals(Optional.of(repo.resolve("snapshots/" + commit + "/config.json")), r.configFile());
            assertEquals(0.9, r.config().preprocess().cropPct());
            assertLoadsSavedModel(r);
        }
        ResolvedWeights pinned = new TimmHub(settings().withOffline(true)).resolve(NAME, commit,
                ProgressListener.NONE);
        assertEquals(commit, pinned.commit());
        assertEquals(List.of(), stub.requests());
    }
}

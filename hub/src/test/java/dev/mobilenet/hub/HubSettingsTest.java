package dev.mobilenet.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mobilenet.MobileNetException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HubSettingsTest {
    @TempDir
    Path home;

    HubSettings env(String... kv) {
        Map<String, String> m = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return HubSettings.fromEnvironment(m, home);
    }

    @Test
    void defaultsAreHuggingfaceHubs() {
        HubSettings s = env();
        assertEquals("https://huggingface.co", s.endpoint());
        assertEquals(home.resolve(".cache/huggingface/hub"), s.cacheDir());
        assertFalse(s.offline());
        assertEquals(Optional.empty(), s.token());
        assertTrue(s.symlinks());
        assertFalse(s.checkForUpdates());
        assertEquals(Duration.ofSeconds(10), s.etagTimeout());
    }

    @Test
    void cacheLocationPrecedence() {
        assertEquals(Path.of("/x/hub"), env("HF_HOME", "/x").cacheDir());
        assertEquals(Path.of("/y/huggingface/hub"), env("XDG_CACHE_HOME", "/y").cacheDir());
        assertEquals(Path.of("/x/hub"), env("HF_HOME", "/x", "XDG_CACHE_HOME", "/y").cacheDir());
        assertEquals(Path.of("/old"), env("HUGGINGFACE_HUB_CACHE", "/old", "HF_HOME", "/x").cacheDir());
        assertEquals(Path.of("/new"), env("HF_HUB_CACHE", "/new", "HUGGINGFACE_HUB_CACHE", "/old").cacheDir());
        assertEquals(home.resolve("c"), env("HF_HUB_CACHE", "~/c").cacheDir());
        assertEquals(Path.of("/data/c"), env("HF_HUB_CACHE", "$D/c", "D", "/data").cacheDir());
        assertEquals(Path.of("/data/c"), env("HF_HUB_CACHE", "${D}/c", "D", "/data").cacheDir());
        assertEquals(Path.of("$UNSET/c"), env("HF_HUB_CACHE", "$UNSET/c").cacheDir(), "unknown variables stay");
        assertEquals(home.resolve(".cache/huggingface/hub"), env("HF_HUB_CACHE", "").cacheDir(), "empty = unset");
    }

    @Test
    void offlineIsParsedLikeHuggingfaceHub() {
        for (String v : new String[] {"1", "ON", "on", "YES", "yes", "TRUE", "true", "True"}) {
            assertTrue(env("HF_HUB_OFFLINE", v).offline(), v);
        }
        for (String v : new String[] {"0", "off", "false", "no", "2", " 1", "y"}) {
            assertFalse(env("HF_HUB_OFFLINE", v).offline(), v);
        }
        assertTrue(env("TRANSFORMERS_OFFLINE", "1").offline());
        assertTrue(env("HF_HUB_OFFLINE", "", "TRANSFORMERS_OFFLINE", "1").offline());
        assertFalse(env("HF_HUB_OFFLINE", "0", "TRANSFORMERS_OFFLINE", "1").offline(), "HF_HUB_OFFLINE decides");
    }

    @Test
    void tokenFromEnvironmentThenTokenFile() throws IOException {
        assertEquals(Optional.of("hf_a"), env("HF_TOKEN", " hf_a\n").token());
        assertEquals(Optional.of("hf_b"), env("HUGGING_FACE_HUB_TOKEN", "hf_b").token());
        assertEquals(Optional.of("hf_a"), env("HF_TOKEN", "hf_a", "HUGGING_FACE_HUB_TOKEN", "hf_b").token());
        assertEquals(Optional.empty(), env("HF_TOKEN", " \n").token());
        Path hfHome = home.resolve(".cache/huggingface");
        Files.createDirectories(hfHome);
        Files.writeString(hfHome.resolve("token"), "hf_file\n");
        assertEquals(Optional.of("hf_file"), env().token());
        assertEquals(Optional.of("hf_env"), env("HF_TOKEN", "hf_env").token(), "the variable wins");
        Files.writeString(home.resolve("elsewhere"), "hf_path");
        assertEquals(Optional.of("hf_path"), env("HF_TOKEN_PATH", home.resolve("elsewhere").toString()).token());
        assertFalse(env().toString().contains("hf_file"), "toString hides the token");
    }

    @Test
    void endpointAndFlags() {
        assertEquals("http://localhost:8080/mirror", env("HF_ENDPOINT", "http://localhost:8080/mirror/").endpoint());
        MobileNetException e = assertThrows(MobileNetException.class, () -> env("HF_ENDPOINT", "ftp://x"));
        assertTrue(e.getMessage().contains("must be an http(s) URL"), e.getMessage());
        assertFalse(env("HF_HUB_DISABLE_SYMLINKS", "1").symlinks());
        assertEquals(Duration.ofSeconds(3), env("HF_HUB_ETAG_TIMEOUT", "3").etagTimeout());
        MobileNetException t = assertThrows(MobileNetException.class, () -> env("HF_HUB_DOWNLOAD_TIMEOUT", "soon"));
        assertTrue(t.getMessage().startsWith("HF_HUB_DOWNLOAD_TIMEOUT must be"), t.getMessage());
    }
}

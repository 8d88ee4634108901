package dev.mobilenet.hub;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.mobilenet.testing.Hostile;
import java.net.URI;
import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The Hub's answer to a HEAD request, from hostile bytes: the first line is the status code, each further line
 * {@code name: value}. What comes back must be metadata with a 40-hex commit, a cache-safe ETag and a
 * non-negative size, an http(s) URL to follow, or a one-line error.
 */
class HubHeadersFuzzTest {
    private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");
    private static final URI URL = URI.create("https://hub.example/timm/x/resolve/main/model.safetensors");

    @FuzzTest
    void fuzz(byte[] data) throws Exception {
        String[] lines = new String(data, StandardCharsets.UTF_8).split("\n", -1);
        int status;
        try {
            status = Integer.parseInt(lines[0].strip());
        } catch (NumberFormatException e) {
            return;
        }
        // Header names are case-insensitive: one entry per name, as java.net.http builds them.
        Map<String, List<String>> map = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            // Only what java.net.http can hand over: a header name is an RFC 9110 token.
            if (colon > 0 && TOKEN.matcher(lines[i].substring(0, colon)).matches()) {
                map.computeIfAbsent(lines[i].substring(0, colon), k -> new ArrayList<>())
                        .add(lines[i].substring(colon + 1).strip());
            }
        }
        HttpHeaders headers = HttpHeaders.of(map, (k, v) -> true);
        Hostile.parse(() -> {
            Object answer;
            try {
                answer = HubClient.headAnswer(status, headers, URL, "https://hub.example");
            } catch (HubClient.MetadataFailure f) {
                Hostile.checkMessage(f.error);
                return;
            }
            if (answer instanceof URI next) {
                String scheme = next.getScheme();
                if (!"http".equalsIgnoreCase(scheme) && !"https".equalsIgnoreCase(scheme) || next.getHost() == null) {
                    throw new AssertionError("follows a non-HTTP redirect: " + next);
                }
            } else if (answer instanceof HubClient.Metadata m) {
                if (!HubCache.COMMIT.matcher(m.commit()).matches() || !HubCache.validEtag(m.etag()) || m.size() < 0) {
                    throw new AssertionError("accepted " + m);
                }
                String scheme = m.location().getScheme();
                if (!"http".equalsIgnoreCase(scheme) && !"https".equalsIgnoreCase(scheme)) {
                    throw new AssertionError("download from a non-HTTP URL: " + m.location());
                }
            }
        });
    }
}

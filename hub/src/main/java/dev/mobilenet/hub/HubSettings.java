package dev.mobilenet.hub;

import dev.mobilenet.MobileNetException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where and how the Hub is reached, read once from the environment the way huggingface_hub reads it, then passed
 * down explicitly (nothing below this record looks at the environment).
 *
 * @param endpoint        Hub base URL without a trailing slash ({@code HF_ENDPOINT}, default https://huggingface.co)
 * @param cacheDir        the hub cache ({@code HF_HUB_CACHE}, else {@code HUGGINGFACE_HUB_CACHE}, else
 *                        {@code $HF_HOME/hub}, else {@code $XDG_CACHE_HOME/huggingface/hub}, else
 *                        {@code ~/.cache/huggingface/hub})
 * @param offline         never touch the network ({@code HF_HUB_OFFLINE} or {@code TRANSFORMERS_OFFLINE})
 * @param token           sent as {@code Authorization: Bearer} to the endpoint's host only ({@code HF_TOKEN}, else
 *                        {@code HUGGING_FACE_HUB_TOKEN}, else the token file {@code HF_TOKEN_PATH} or
 *                        {@code $HF_HOME/token})
 * @param symlinks        snapshot entries are relative symlinks to blobs; false copies them
 *                        ({@code HF_HUB_DISABLE_SYMLINKS})
 * @param checkForUpdates when a branch or tag is already cached, still ask the Hub which commit it points to now
 *                        (huggingface_hub always asks; the default here is to use the cache without a request)
 * @param etagTimeout     timeout of the metadata request ({@code HF_HUB_ETAG_TIMEOUT}, default 10 s)
 * @param downloadTimeout connect timeout and time to the response headers of a download
 *                        ({@code HF_HUB_DOWNLOAD_TIMEOUT}, default 10 s)
 */
public record HubSettings(String endpoint, Path cacheDir, boolean offline, Optional<String> token, boolean symlinks,
                          boolean checkForUpdates, Duration etagTimeout, Duration downloadTimeout) {

    public static final String DEFAULT_ENDPOINT = "https://huggingface.co";
    private static final Set<String> TRUE_VALUES = Set.of("1", "ON", "YES", "TRUE");
    private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
    private static final int MAX_TOKEN_FILE_BYTES = 1 << 16;

    public HubSettings {
        endpoint = normalizeEndpoint(endpoint);
        Objects.requireNonNull(cacheDir, "cacheDir");
        token = Objects.requireNonNull(token, "token").map(HubSettings::cleanToken).flatMap(Optional::ofNullable);
        Objects.requireNonNull(etagTimeout, "etagTimeout");
        Objects.requireNonNull(downloadTimeout, "downloadTimeout");
        if (etagTimeout.isNegative() || etagTimeout.isZero() || downloadTimeout.isNegative()
                || downloadTimeout.isZero()) {
            throw new MobileNetException("Hub timeouts must be positive");
        }
    }

    /** Default endpoint, the given cache, online, no token, symlinks, default timeouts. */
    public static HubSettings of(Path cacheDir) {
        return new HubSettings(DEFAULT_ENDPOINT, cacheDir, false, Optional.empty(), true, false, DEFAULT_TIMEOUT,
                DEFAULT_TIMEOUT);
    }

    /** The settings of this process's environment. */
    public static HubSettings fromEnvironment() {
        return fromEnvironment(System.getenv(), Path.of(System.getProperty("user.home")));
    }

    /**
     * The settings an environment describes, read as huggingface_hub reads its constants (an empty variable counts
     * as unset). {@code home} replaces a leading {@code ~}.
     */
    public static HubSettings fromEnvironment(Map<String, String> env, Path home) {
        String hfHome = expand(firstSet(env, "HF_HOME").orElseGet(() ->
                firstSet(env, "XDG_CACHE_HOME").orElse("~/.cache") + "/huggingface"), env, home);
        String cache = expand(firstSet(env, "HF_HUB_CACHE", "HUGGINGFACE_HUB_CACHE").orElse(hfHome + "/hub"), env,
                home);
        String endpoint = firstSet(env, "HF_ENDPOINT").orElse(DEFAULT_ENDPOINT);
        boolean offline = isTrue(firstSet(env, "HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE").orElse(null));
        Optional<String> token = firstSet(env, "HF_TOKEN", "HUGGING_FACE_HUB_TOKEN").map(HubSettings::cleanToken);
        if (token.isEmpty()) {
            Path tokenFile = Path.of(expand(firstSet(env, "HF_TOKEN_PATH").orElse(hfHome + "/token"), env, home));
            token = readTokenFile(tokenFile);
        }
        boolean symlinks = !isTrue(env.get("HF_HUB_DISABLE_SYMLINKS"));
        return new HubSettings(endpoint, Path.of(cache), offline, token, symlinks, false,
                seconds(env, "HF_HUB_ETAG_TIMEOUT"), seconds(env, "HF_HUB_DOWNLOAD_TIMEOUT"));
    }

    public HubSettings withEndpoint(String newEndpoint) {
        return new HubSettings(newEndpoint, cacheDir, offline, token, symlinks, checkForUpdates, etagTimeout,
                downloadTimeout);
    }

    public HubSettings withCacheDir(Path newCacheDir) {
        return new HubSettings(endpoint, newCacheDir, offline, token, symlinks, checkForUpdates, etagTimeout,
                downloadTimeout);
    }

    public HubSettings withOffline(boolean newOffline) {
        return new HubSettings(endpoint, cacheDir, newOffline, token, symlinks, checkForUpdates, etagTimeout,
                downloadTimeout);
    }

    public HubSettings withToken(Optional<String> newToken) {
        return new HubSettings(endpoint, cacheDir, offline, newToken, symlinks, checkForUpdates, etagTimeout,
                downloadTimeout);
    }

    public HubSettings withSymlinks(boolean newSymlinks) {
        return new HubSettings(endpoint, cacheDir, offline, token, newSymlinks, checkForUpdates, etagTimeout,
                downloadTimeout);
    }

    public HubSettings withCheckForUpdates(boolean check) {
        return new HubSettings(endpoint, cacheDir, offline, token, symlinks, check, etagTimeout, downloadTimeout);
    }

    public HubSettings withTimeouts(Duration newEtagTimeout, Duration newDownloadTimeout) {
        return new HubSettings(endpoint, cacheDir, offline, token, symlinks, checkForUpdates, newEtagTimeout,
                newDownloadTimeout);
    }

    /** huggingface_hub's truth test for flags: 1, ON, YES or TRUE in any case. */
    public static boolean isTrue(String value) {
        return value != null && TRUE_VALUES.contains(value.toUpperCase(Locale.ROOT));
    }

    @Override
    public String toString() {
        return "HubSettings[endpoint=" + endpoint + ", cacheDir=" + cacheDir + ", offline=" + offline + ", token="
                + (token.isPresent() ? "(set)" : "(none)") + ", symlinks=" + symlinks + ", checkForUpdates="
                + checkForUpdates + ", etagTimeout=" + etagTimeout + ", downloadTimeout=" + downloadTimeout + "]";
    }

    private static String normalizeEndpoint(String endpoint) {
        Objects.requireNonNull(endpoint, "endpoint");
        String e = endpoint.strip();
        while (e.endsWith("/")) {
            e = e.substring(0, e.length() - 1);
        }
        URI uri;
        try {
            uri = new URI(e);
        } catch (URISyntaxException ex) {
            throw new MobileNetException("Hub endpoint '" + endpoint + "' is not a valid URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null || uri.getQuery() != null
                || uri.getFragment() != null) {
            throw new MobileNetException("Hub endpoint '" + endpoint + "' must be an http(s) URL such as "
                    + DEFAULT_ENDPOINT);
        }
        return e;
    }

    private static Optional<String> firstSet(Map<String, String> env, String... names) {
        for (String n : names) {
            String v = env.get(n);
            if (v != null && !v.isEmpty()) {
                return Optional.of(v);
            }
        }
        return Optional.empty();
    }

    /** os.path.expandvars(os.path.expanduser(p)): a leading ~ becomes home, then $NAME and ${NAME} if set. */
    static String expand(String p, Map<String, String> env, Path home) {
        String s = p;
        if (s.equals("~") || s.startsWith("~/")) {
            s = home.toString() + s.substring(1);
        }
        Matcher m = VAR.matcher(s);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String name = m.group(1) != null ? m.group(1) : m.group(2);
            String value = env.get(name);
            m.appendReplacement(sb, Matcher.quoteReplacement(value != null ? value : m.group()));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    private static final Pattern VAR = Pattern.compile("\\$(?:(\\w+)|\\{([^}]*)\\})");

    private static String cleanToken(String t) {
        String c = t.replace("\r", "").replace("\n", "").strip();
        return c.isEmpty() ? null : c;
    }

    private static Optional<String> readTokenFile(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] b = in.readNBytes(MAX_TOKEN_FILE_BYTES + 1);
            if (b.length > MAX_TOKEN_FILE_BYTES) {
                throw new MobileNetException("token file " + file + " is larger than 64 KiB; it should hold one token");
            }
            return Optional.ofNullable(cleanToken(new String(b, StandardCharsets.UTF_8)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new MobileNetException("cannot read the Hub token file " + file + ": " + e.getMessage(), e);
        }
    }

    private static Duration seconds(Map<String, String> env, String name) {
        String v = env.get(name);
        if (v == null || v.isEmpty()) {
            return DEFAULT_TIMEOUT;
        }
        try {
            int s = Integer.parseInt(v.strip());
            if (s <= 0) {
                throw new NumberFormatException();
            }
            return Duration.ofSeconds(s);
        } catch (NumberFormatException e) {
            throw new MobileNetException(name + " must be a positive whole number of seconds, not '" + v + "'");
        }
    }
}

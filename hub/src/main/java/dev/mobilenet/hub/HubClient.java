package dev.mobilenet.hub;

import dev.mobilenet.Version;
import dev.mobilenet.hub.HubException.Kind;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Downloads files of Hub repositories into the huggingface_hub cache, as {@code hf_hub_download} does:
 * <ol>
 * <li>offline mode: the cache only ({@code refs/<revision>} → {@code snapshots/<commit>/<file>});</li>
 * <li>a file already in the cache for the revision (or a commit hash) is returned without a request, unless
 * {@link HubSettings#checkForUpdates()};</li>
 * <li>otherwise a HEAD request on {@code <endpoint>/<repo>/resolve/<revision>/<file>} that follows relative
 * redirects only and reads {@code X-Repo-Commit}, {@code X-Linked-Etag}/{@code ETag} and
 * {@code X-Linked-Size}/{@code Content-Length} from the answer, which for an LFS file is the 302 to the CDN;</li>
 * <li>if that fails (no network, 401/403, 5xx) and the cache has the file for the revision, the cached file;</li>
 * <li>else a GET of the redirect target into {@code blobs/<etag>.incomplete} (resumed with a Range request when
 * present), checked against the size and, for LFS files, the sha256 etag, renamed to {@code blobs/<etag>}, and linked
 * from {@code snapshots/<commit>/<file>}; {@code refs/<revision>} records the commit.</li>
 * </ol>
 * The token goes only to the endpoint's own origin, never to a CDN it redirects to. Writers of one blob are
 * serialized by {@code .locks/<repo folder>/<etag>.lock}. Thread-safe.
 */
public final class HubClient {
    private static final int MAX_REDIRECTS = 10;
    private static final int MAX_RETRIES = 5;
    private static final long RETRY_PAUSE_MILLIS = 500;
    private static final int BUFFER_BYTES = 1 << 16;
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern CONTENT_RANGE = Pattern.compile("bytes\\s+(\\d+)-(\\d+)/(\\d+|\\*)");
    private static final ConcurrentHashMap<Path, ReentrantLock> BLOB_LOCKS = new ConcurrentHashMap<>();

    private final HubSettings settings;
    private final HubCache cache;
    private final HttpClient http;
    private final BlobWriter.Opener writers;
    private final String userAgent;

    public HubClient(HubSettings settings) {
        this(settings, BlobWriter::append);
    }

    HubClient(HubSettings settings, BlobWriter.Opener writers) {
        this.settings = settings;
        this.cache = new HubCache(settings.cacheDir());
        this.writers = writers;
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(settings.downloadTimeout())
                .build();
        this.userAgent = "mobilenet-java/" + Version.get() + "; java/" + System.getProperty("java.version");
    }

    public HubSettings settings() {
        return settings;
    }

    public HubCache cache() {
        return cache;
    }

    /**
     * The local path of {@code filename} in {@code repoId} at {@code revision} (a branch, tag or commit hash),
     * downloading it when needed. The path is the snapshot entry, e.g.
     * {@code .../models--timm--x.y/snapshots/<commit>/model.safetensors}.
     *
     * @throws HubException with one line naming the problem
     */
    public Path download(String repoId, String filename, String revision, ProgressListener listener) {
        Optional<Path> p = fetch(repoId, filename, revision, listener);
        return p.orElseThrow(() -> new HubException(Kind.NOT_FOUND, describe(repoId, filename, revision)
                + " not found on the Hub (" + resolveUrl(settings.endpoint(), repoId, revision, filename) + ")"));
    }

    /**
     * Like {@link #download} but empty when the Hub says (now, or earlier as recorded in the cache) that the file
     * does not exist in the repository. Other failures still throw.
     */
    public Optional<Path> downloadIfExists(String repoId, String filename, String revision,
                                           ProgressListener listener) {
        return fetch(repoId, filename, revision, listener);
    }

    /** huggingface_hub's hf_hub_url: the revision fully percent-encoded, the file name with its slashes kept. */
    public static String resolveUrl(String endpoint, String repoId, String revision, String filename) {
        return endpoint + "/" + repoId + "/resolve/" + quote(revision, false) + "/" + quote(filename, true);
    }

    private Optional<Path> fetch(String repoId, String filename, String revision, ProgressListener listener) {
        HubCache.checkRepoId(repoId);
        HubCache.checkFilename(filename);
        HubCache.checkRevision(revision);
        String what = describe(repoId, filename, revision);
        HubCache.Lookup cached = cache.find(repoId, filename, revision);
        if (settings.offline()) {
            return switch (cached.state()) {
                case HIT -> cached.path();
                case ABSENT -> Optional.empty();
                case MISS -> throw new HubException(Kind.OFFLINE_MISS, what + " is not in the Hub cache "
                        + cache.root() + " and offline mode is on (HF_HUB_OFFLINE); download it once online");
            };
        }
        boolean pinned = HubCache.COMMIT.matcher(revision).matches();
        if (cached.state() != HubCache.State.MISS && (pinned || !settings.checkForUpdates())) {
            return cached.path();
        }
        URI url = uri(resolveUrl(settings.endpoint(), repoId, revision, filename));
        Metadata meta;
        try {
            meta = metadata(url, what, repoId, revision);
        } catch (EntryNotFound e) {
            if (e.commit != null) {
                try {
                    cache.markAbsent(repoId, e.commit, filename);
                    cache.writeRef(repoId, revision, e.commit);
                } catch (IOException io) {
                    // Only a shortcut for later look-ups; the answer stands without it.
                }
            }
            return Optional.empty();
        } catch (MetadataFailure f) {
            if (cached.state() == HubCache.State.HIT) {
                listener.notice(f.brief + "; using the cached copy of " + what
                        + " (set HF_HUB_OFFLINE=1 to skip the Hub)");
                return cached.path();
            }
            if (cached.state() == HubCache.State.ABSENT) {
                return Optional.empty();
            }
            throw f.error;
        }
        return Optional.of(store(repoId, filename, revision, meta, what, listener));
    }

    @SuppressWarnings("try") // the lock is held by the try block, not used in it
    private Path store(String repoId, String filename, String revision, Metadata meta, String what,
                       ProgressListener listener) {
        Path pointer = cache.snapshotPath(repoId, meta.commit, filename);
        try {
            if (Files.isRegularFile(pointer) && intact(pointer, meta)) {
                try {
                    cache.writeRef(repoId, revision, meta.commit);
                } catch (IOException e) {
                    // A read-only cache still serves the file; the ref is only a shortcut.
                }
                return pointer;
            }
            Path blob = cache.blobPath(repoId, meta.etag);
            Files.createDirectories(blob.getParent());
            Files.createDirectories(pointer.getParent());
            cache.tagCacheDir();
            cache.writeRef(repoId, revision, meta.commit);
            try (BlobLock lock = BlobLock.take(cache.lockPath(repoId, meta.etag))) {
                if (!Files.isRegularFile(blob, LinkOption.NOFOLLOW_LINKS) || !intact(blob, meta)) {
                    if (Files.isRegularFile(blob, LinkOption.NOFOLLOW_LINKS)) {
                        listener.notice("the cached " + what + " is damaged (" + Files.size(blob) + " bytes, the Hub"
                                + " announces " + meta.size + ", or another sha256); downloading it again");
                    }
                    downloadBlob(meta, cache.incompletePath(repoId, meta.etag), blob, what, repoId + "/" + filename,
                            listener);
                }
                if (!Files.isRegularFile(pointer) || !intact(pointer, meta)) {
                    Files.deleteIfExists(pointer);
                    HubCache.link(blob, pointer, settings.symlinks());
                }
            }
            return pointer;
        } catch (IOException e) {
            throw cacheError(e, what, pointer.getParent());
        }
    }

    /**
     * Whether a cached file is what the Hub announces: its size, and for an LFS file (ETag = sha256) its hash.
     * A truncated or altered blob is then downloaded again instead of being served.
     */
    private static boolean intact(Path file, Metadata meta) throws IOException {
        if (Files.size(file) != meta.size) {
            return false;
        }
        if (!SHA256.matcher(meta.etag).matches()) {
            return true;
        }
        MessageDigest d = sha256();
        hashPrefix(file, meta.size, d);
        return HexFormat.of().formatHex(d.digest()).equals(meta.etag);
    }

    private HubException cacheError(IOException e, String what, Path where) {
        if (Downloads.isDiskFull(e)) {
            return new HubException(Kind.DISK_FULL, "no space left on device while storing " + what + " in "
                    + where, e);
        }
        return new HubException(Kind.CACHE_IO, "cannot write " + what + " to the Hub cache " + cache.root() + ": "
                + Downloads.oneLine(e.getMessage() == null ? e.toString() : e.getMessage()), e);
    }

    // ---------------------------------------------------------------------------------------------- metadata

    /** What the HEAD request learnt: where to download from, and what to expect. */
    record Metadata(URI location, String commit, String etag, long size) {
    }

    /** The Hub says the file is not in the repository (HTTP 404, EntryNotFound or no error code). */
    private static final class EntryNotFound extends Exception {
        private static final long serialVersionUID = 1L;
        final String commit;

        EntryNotFound(String commit) {
            super(null, null, false, false);
            this.commit = commit;
        }
    }

    /** A metadata request that failed in a way the cache may make up for. */
    static final class MetadataFailure extends Exception {
        private static final long serialVersionUID = 1L;
        final HubException error;
        final String brief;

        MetadataFailure(HubException error) {
            this(error, error.getMessage());
        }

        MetadataFailure(HubException error, String brief) {
            super(null, null, false, false);
            this.error = error;
            this.brief = Downloads.redact(brief);
        }
    }

    private Metadata metadata(URI resolveUrl, String what, String repoId, String revision)
            throws EntryNotFound, MetadataFailure {
        URI url = resolveUrl;
        for (int hop = 0; ; hop++) {
            HttpRequest.Builder req = request(url, sameOrigin(url, endpointUri()))
                    .method("HEAD", HttpRequest.BodyPublishers.noBody())
                    .timeout(settings.etagTimeout());
            HttpResponse<Void> r;
            try {
                r = http.send(req.build(), HttpResponse.BodyHandlers.discarding());
            } catch (IOException e) {
                String brief = "cannot reach " + settings.endpoint() + " ("
                        + Downloads.describeNetwork(e, url.getHost()) + ")";
                throw new MetadataFailure(new HubException(Kind.UNREACHABLE, brief + " and " + what
                        + " is not in the Hub cache " + cache.root(), e), brief);
            } catch (InterruptedException e) {
                throw interrupted(what, e);
            }
            int status = r.statusCode();
            HttpHeaders h = r.headers();
            Object next = headAnswer(status, h, url, settings.endpoint());
            if (next instanceof Metadata m) {
                return m;
            }
            if (next instanceof URI relative) {
                if (hop >= MAX_REDIRECTS) {
                    throw new MetadataFailure(new HubException(Kind.BAD_RESPONSE, "too many redirects for "
                            + resolveUrl));
                }
                url = relative;
                continue;
            }
            String code = h.firstValue("X-Error-Code").orElse("");
            String commit = h.firstValue("X-Repo-Commit").filter(c -> HubCache.COMMIT.matcher(c).matches())
                    .orElse(null);
            if (status == 404 && code.equals("RevisionNotFound")) {
                throw new HubException(Kind.NOT_FOUND, "revision '" + revision + "' not found in " + repoId
                        + " (HTTP 404 for " + url + ")");
            }
            if (code.equals("RepoNotFound")) {
                throw new MetadataFailure(new HubException(Kind.NOT_FOUND, "repository " + repoId + " not found on "
                        + settings.endpoint() + ", or it is private or gated (HTTP " + status + " for " + url
                        + "); for a private or gated repository " + tokenAdvice()));
            }
            if (status == 404) {
                if (code.isEmpty() || code.equals("EntryNotFound")) {
                    throw new EntryNotFound(code.isEmpty() ? null : commit);
                }
            }
            if (status == 401 || status == 403 || code.equals("GatedRepo")) {
                throw new MetadataFailure(accessDenied(status, url, repoId));
            }
            throw new MetadataFailure(new HubException(Kind.BAD_RESPONSE, "the Hub answered HTTP " + status
                    + " for " + url + errorSuffix(h)));
        }
    }

    /**
     * What a HEAD answer of {@code status} with headers {@code h} from {@code url} means: the file's
     * {@link Metadata} (2xx, or 3xx to another host), the same-host URL to ask next (a relative 3xx), or null
     * for an error status (4xx/5xx), which the caller reports. Every header is the Hub's (or a stranger's): checked.
     */
    static Object headAnswer(int status, HttpHeaders h, URI url, String endpoint) throws MetadataFailure {
        if (status >= 300 && status < 400) {
            Optional<String> loc = h.firstValue("Location");
            if (loc.isEmpty()) {
                throw new MetadataFailure(new HubException(Kind.BAD_RESPONSE, url + " answered HTTP " + status
                        + " without a Location"));
            }
            URI raw;
            URI target;
            try {
                raw = new URI(loc.get().strip());
                target = url.resolve(raw);
            } catch (URISyntaxException | IllegalArgumentException e) {
                throw new MetadataFailure(new HubException(Kind.BAD_RESPONSE, url + " redirected to an invalid URL "
                        + quoteValue(loc.get())));
            }
            target = checkHttp(target, url);
            if (raw.getScheme() == null && raw.getRawAuthority() == null) {
                return target;
            }
            return metadataOf(h, target, true, url, endpoint);
        }
        if (status >= 200 && status < 300) {
            return metadataOf(h, url, false, url, endpoint);
        }
        return null;
    }

    private static Metadata metadataOf(HttpHeaders h, URI location, boolean redirect, URI url, String endpoint)
            throws MetadataFailure {
        String hint = " (is " + endpoint + " a Hugging Face Hub? check HF_ENDPOINT and proxy settings)";
        Optional<String> commit = h.firstValue("X-Repo-Commit").map(String::strip);
        if (commit.isEmpty()) {
            throw new MetadataFailure(new HubException(Kind.BAD_RESPONSE, url + " answered without X-Repo-Commit"
                    + hint));
        }
        if (!HubCache.COMMIT.matcher(commit.get()).matches()) {
            throw new MetadataFailure(new HubException(Kind.BAD_RESPONSE, url + " answered an invalid X-Repo-Commit "
                    + quoteValue(commit.get()) + " (expected 40 hex digits)"));
        }
        String etag = normalizeEtag(h.firstValue("X-Linked-Etag").or(() -> h.firstValue("ETag")).orElse(null));
        if (etag == null) {
            throw new MetadataFailure(new HubException(Kind.BAD_RESPONSE, url + " answered without an ETag" + hint));
        }
        if (!HubCache.validEtag(etag)) {
            throw new MetadataFailure(new HubException(Kind.BAD_RESPONSE, url + " answered an ETag that cannot name"
                    + " a cache file: " + quoteValue(etag)));
        }
        Optional<String> size = h.firstValue("X-Linked-Size").or(() -> redirect ? Optional.empty()
                : h.firstValue("Content-Length"));
        if (size.isEmpty()) {
            throw new MetadataFailure(new HubException(Kind.BAD_RESPONSE, url + " answered without the file size"
                    + " (X-Linked-Size or Content-Length)" + hint));
        }
        long n;
        try {
            n = Long.parseLong(size.get().strip());
        } catch (NumberFormatException e) {
            n = -1;
        }
        if (n < 0) {
            throw new MetadataFailure(new HubException(Kind.BAD_RESPONSE, url + " answered an invalid file size "
                    + quoteValue(size.get())));
        }
        return new Metadata(location, commit.get(), etag, n);
    }

    /** huggingface_hub's _normalize_etag: leading W and / characters dropped, then surrounding quotes. */
    static String normalizeEtag(String etag) {
        if (etag == null) {
            return null;
        }
        int i = 0;
        while (i < etag.length() && (etag.charAt(i) == 'W' || etag.charAt(i) == '/')) {
            i++;
        }
        int j = etag.length();
        String s = etag.substring(i, j);
        int a = 0;
        int b = s.length();
        while (a < b && s.charAt(a) == '"') {
            a++;
        }
        while (b > a && s.charAt(b - 1) == '"') {
            b--;
        }
        return s.substring(a, b);
    }

    // ---------------------------------------------------------------------------------------------- download

    private void downloadBlob(Metadata meta, Path incomplete, Path blob, String what, String file,
                              ProgressListener listener)
            throws IOException {
        if (Files.exists(incomplete, LinkOption.NOFOLLOW_LINKS)
                && !Files.isRegularFile(incomplete, LinkOption.NOFOLLOW_LINKS)) {
            // A symlink (or anything else) planted as the partial download: writing through it would overwrite a
            // file outside the cache. Only the link itself goes.
            Files.delete(incomplete);
        }
        long have = Files.isRegularFile(incomplete, LinkOption.NOFOLLOW_LINKS) ? Files.size(incomplete) : 0;
        if (have > meta.size) {
            Files.delete(incomplete);
            have = 0;
        }
        checkSpace(incomplete.getParent(), meta.size - have, what);
        String sha = SHA256.matcher(meta.etag).matches() ? meta.etag : null;
        boolean keep = false;
        boolean done = false;
        listener.started(file, meta.size, have);
        try {
            Transfer t = new Transfer(meta, what, listener, sha == null ? null : sha256());
            try (BlobWriter w = writers.open(incomplete)) {
                t.writer = w;
                if (t.digest != null && have > 0) {
                    hashPrefix(incomplete, have, t.digest);
                }
                t.have = have;
                try {
                    t.run();
                } catch (HubException e) {
                    keep = e.kind() == Kind.INTERRUPTED && t.have > 0;
                    throw e;
                }
                w.force();
            }
            long size = Files.size(incomplete);
            if (size != meta.size) {
                throw new HubException(Kind.CORRUPT, "downloaded " + what + " has " + size + " bytes but the Hub"
                        + " announced " + meta.size + "; the corrupt download was deleted, run again to retry");
            }
            if (sha != null) {
                String got = HexFormat.of().formatHex(t.digest.digest());
                if (!got.equals(sha)) {
                    throw new HubException(Kind.CORRUPT, "downloaded " + what + " does not match its sha256 " + sha
                            + " (got " + got + "); the corrupt download was deleted, run again to retry");
                }
            }
            HubCache.moveAtomically(incomplete, blob);
            done = true;
        } catch (IOException e) {
            if (Downloads.isDiskFull(e)) {
                throw new HubException(Kind.DISK_FULL, "no space left on device while downloading " + what + " to "
                        + incomplete.getParent() + " (" + Downloads.size(meta.size) + "); the partial download was"
                        + " deleted", e);
            }
            throw new HubException(Kind.CACHE_IO, "cannot write " + incomplete + ": "
                    + Downloads.oneLine(e.getMessage() == null ? e.toString() : e.getMessage()), e);
        } finally {
            listener.finished(file);
            if (!done && !keep) {
                Files.deleteIfExists(incomplete);
            }
        }
    }

    private static void checkSpace(Path dir, long needed, String what) {
        long free;
        try {
            free = Files.getFileStore(dir).getUsableSpace();
        } catch (IOException | SecurityException e) {
            return;
        }
        if (free > 0 && free < needed) {
            throw new HubException(Kind.DISK_FULL, "not enough space in " + dir + " for " + what + ": it needs "
                    + Downloads.size(needed) + ", " + Downloads.size(free) + " are free");
        }
    }

    /** One GET with retries: redirects followed, resumed with a Range request, bytes hashed as they arrive. */
    private final class Transfer {
        final Metadata meta;
        final String what;
        final ProgressListener listener;
        final MessageDigest digest;
        BlobWriter writer;
        long have;

        Transfer(Metadata meta, String what, ProgressListener listener, MessageDigest digest) {
            this.meta = meta;
            this.what = what;
            this.listener = listener;
            this.digest = digest;
        }

        void run() throws IOException {
            listener.progress(have, meta.size);
            int failures = 0;
            boolean restartedAfter416 = false;
            byte[] buf = new byte[BUFFER_BYTES];
            String lastError = null;
            while (have < meta.size) {
                long before = have;
                try {
                    HttpResponse<InputStream> r = open();
                    try (InputStream in = r.body()) {
                        int status = r.statusCode();
                        if (status == 416) {
                            if (have == 0 || restartedAfter416) {
                                throw new HubException(Kind.BAD_RESPONSE, "the server refused the byte range of "
                                        + what + " (HTTP 416 for " + r.uri() + ")");
                            }
                            restartedAfter416 = true;
                            restart();
                            continue;
                        }
                        if (status == 200 && have > 0) {
                            restart();
                        } else if (status == 206) {
                            checkContentRange(r);
                        }
                        stream(in, buf);
                    }
                    if (have < meta.size) {
                        throw new HubException(Kind.CORRUPT, "the server sent " + have + " of the " + meta.size
                                + " bytes of " + what + " and ended the response; the corrupt download was deleted,"
                                + " run again to retry");
                    }
                } catch (TransientFailure e) {
                    lastError = e.reason;
                    failures = have > before ? 1 : failures + 1;
                    if (failures > MAX_RETRIES) {
                        throw new HubException(have > 0 ? Kind.INTERRUPTED : Kind.UNREACHABLE, "download of "
                                + what + " failed repeatedly (" + lastError
                                + ")" + (have > 0 ? "; " + have + " of " + meta.size + " bytes are kept and the next"
                                + " run resumes from there" : ""));
                    }
                    pause();
                }
            }
        }

        private void restart() throws IOException {
            writer.truncate();
            have = 0;
            if (digest != null) {
                digest.reset();
            }
            listener.progress(0, meta.size);
        }

        private void checkContentRange(HttpResponse<?> r) {
            String cr = r.headers().firstValue("Content-Range").orElse("");
            Matcher m = CONTENT_RANGE.matcher(cr.strip());
            if (!m.matches() || Long.parseLong(m.group(1)) != have) {
                throw new HubException(Kind.BAD_RESPONSE, "the server answered the request for bytes " + have
                        + "- of " + what + " with Content-Range " + quoteValue(cr) + " (" + r.uri() + ")");
            }
        }

        private void stream(InputStream in, byte[] buf) throws TransientFailure, IOException {
            try (ReadWatchdog watchdog = new ReadWatchdog(in, settings.downloadTimeout())) {
                streamWatched(in, buf, watchdog);
            }
        }

        private void streamWatched(InputStream in, byte[] buf, ReadWatchdog watchdog)
                throws TransientFailure, IOException {
            while (true) {
                int n;
                watchdog.beforeRead();
                try {
                    n = in.read(buf);
                } catch (IOException e) {
                    if (watchdog.afterRead()) {
                        throw new TransientFailure("no data from " + meta.location.getHost() + " for "
                                + settings.downloadTimeout().toSeconds() + " s");
                    }
                    throw new TransientFailure(Downloads.describeNetwork(e, meta.location.getHost()));
                }
                watchdog.afterRead();
                if (n < 0) {
                    return;
                }
                if (have + n > meta.size) {
                    throw new HubException(Kind.CORRUPT, "the server sent more than the " + meta.size
                            + " bytes the Hub announced for " + what + "; the corrupt download was deleted, run"
                            + " again to retry");
                }
                writer.write(buf, 0, n);
                if (digest != null) {
                    digest.update(buf, 0, n);
                }
                have += n;
                listener.progress(have, meta.size);
            }
        }

        /** Sends the GET and follows redirects; the token is dropped for good once the origin changes. */
        private HttpResponse<InputStream> open() throws TransientFailure {
            URI url = meta.location;
            boolean auth = sameOrigin(url, endpointUri());
            for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
                HttpRequest.Builder req = request(url, auth).GET().timeout(settings.downloadTimeout());
                if (have > 0) {
                    req.header("Range", "bytes=" + have + "-");
                }
                HttpResponse<InputStream> r;
                try {
                    r = http.send(req.build(), HttpResponse.BodyHandlers.ofInputStream());
                } catch (IOException e) {
                    throw new TransientFailure(Downloads.describeNetwork(e, url.getHost()));
                } catch (InterruptedException e) {
                    throw interrupted(what, e);
                }
                int status = r.statusCode();
                if (status == 200 || status == 206 || status == 416) {
                    return r;
                }
                closeQuietly(r.body());
                if (status >= 300 && status < 400) {
                    String loc = r.headers().firstValue("Location").orElseThrow(() -> new HubException(
                            Kind.BAD_RESPONSE, r.uri() + " answered HTTP " + status + " without a Location"));
                    URI target;
                    try {
                        target = checkHttp(url.resolve(new URI(loc.strip())), url);
                    } catch (URISyntaxException | MetadataFailure e) {
                        throw new HubException(Kind.BAD_RESPONSE, url + " redirected to an invalid URL "
                                + quoteValue(loc));
                    }
                    auth &= sameOrigin(target, url);
                    url = target;
                    continue;
                }
                if (status == 408 || status == 429 || status >= 500) {
                    throw new TransientFailure("HTTP " + status + " from " + url.getHost());
                }
                if (status == 401 || status == 403) {
                    throw new HubException(Kind.ACCESS_DENIED, "access denied to " + what + " (HTTP " + status
                            + " for " + url + ")" + (auth ? "; " + tokenAdvice() : ""));
                }
                if (status == 404) {
                    throw new HubException(Kind.NOT_FOUND, what + " not found (HTTP 404 for " + url + ")");
                }
                throw new HubException(Kind.BAD_RESPONSE, "HTTP " + status + " for " + url + " while downloading "
                        + what);
            }
            throw new HubException(Kind.BAD_RESPONSE, "too many redirects while downloading " + what);
        }
    }

    /** A network failure worth a retry: the connection broke, timed out or the server was briefly unavailable. */
    private static final class TransientFailure extends Exception {
        private static final long serialVersionUID = 1L;
        final String reason;

        TransientFailure(String reason) {
            super(reason, null, false, false);
            this.reason = reason;
        }
    }

    private static void pause() {
        try {
            Thread.sleep(RETRY_PAUSE_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HubException(Kind.INTERRUPTED, "interrupted while waiting to retry a download");
        }
    }

    private static void hashPrefix(Path file, long n, MessageDigest md) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer buf = ByteBuffer.allocate(BUFFER_BYTES);
            long left = n;
            while (left > 0) {
                buf.clear();
                if (left < buf.capacity()) {
                    buf.limit((int) left);
                }
                int r = ch.read(buf);
                if (r < 0) {
                    throw new IOException("file shrank while reading it");
                }
                buf.flip();
                md.update(buf);
                left -= r;
            }
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    // ---------------------------------------------------------------------------------------------- HTTP details

    private HttpRequest.Builder request(URI url, boolean auth) {
        HttpRequest.Builder b = HttpRequest.newBuilder(url)
                .header("User-Agent", userAgent)
                .header("Accept-Encoding", "identity");
        if (auth) {
            settings.token().ifPresent(t -> b.header("Authorization", "Bearer " + t));
        }
        return b;
    }

    private URI endpointUri() {
        return URI.create(settings.endpoint());
    }

    /** Same scheme, host and port: the only case where the token may travel. */
    static boolean sameOrigin(URI a, URI b) {
        return a.getScheme() != null && a.getScheme().equalsIgnoreCase(b.getScheme())
                && a.getHost() != null && a.getHost().equalsIgnoreCase(b.getHost())
                && port(a) == port(b);
    }

    private static int port(URI u) {
        if (u.getPort() >= 0) {
            return u.getPort();
        }
        return "https".equalsIgnoreCase(u.getScheme()) ? 443 : 80;
    }

    private static URI checkHttp(URI target, URI from) throws MetadataFailure {
        String s = target.getScheme() == null ? "" : target.getScheme().toLowerCase(Locale.ROOT);
        if (!s.equals("http") && !s.equals("https") || target.getHost() == null) {
            throw new MetadataFailure(new HubException(Kind.BAD_RESPONSE, from + " redirected to a non-HTTP URL "
                    + quoteValue(target.toString())));
        }
        return target;
    }

    private HubException accessDenied(int status, URI url, String repoId) {
        return new HubException(Kind.ACCESS_DENIED, "access to " + repoId + " denied (HTTP " + status + " for " + url
                + "): the repository is gated or private; " + tokenAdvice());
    }

    private String tokenAdvice() {
        return settings.token().isPresent()
                ? "the token sent (HF_TOKEN or the token file) is invalid or has no access to it"
                : "set HF_TOKEN to a token that has access";
    }

    private static String errorSuffix(HttpHeaders h) {
        return h.firstValue("X-Error-Message").map(m -> ": " + Downloads.oneLine(m)).orElse("");
    }

    private static HubException interrupted(String what, InterruptedException e) {
        Thread.currentThread().interrupt();
        return new HubException(Kind.INTERRUPTED, "interrupted while fetching " + what, e);
    }

    private static URI uri(String s) {
        try {
            return new URI(s);
        } catch (URISyntaxException e) {
            throw new HubException(Kind.BAD_RESPONSE, "invalid URL " + quoteValue(s));
        }
    }

    private static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException e) {
            // The response is abandoned either way.
        }
    }

    static String describe(String repoId, String filename, String revision) {
        return repoId + "/" + filename + (revision.equals("main") ? "" : " at revision " + revision);
    }

    private static String quoteValue(String s) {
        String t = s.length() > 100 ? s.substring(0, 100) + "..." : s;
        return "'" + t.replaceAll("\\p{Cntrl}", "?") + "'";
    }

    /** Python's urllib.parse.quote: unreserved characters kept (and '/' when asked), the rest %XX of UTF-8. */
    static String quote(String s, boolean keepSlash) {
        StringBuilder sb = new StringBuilder();
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_' || c == '.'
                    || c == '-' || c == '~' || keepSlash && c == '/') {
                sb.append((char) c);
            } else {
                sb.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 15, 16)));
            }
        }
        return sb.toString();
    }

    /** The blob's lock: in-process (a JVM may not lock one file twice) and across processes (a file lock). */
    private static final class BlobLock implements AutoCloseable {
        private final ReentrantLock inProcess;
        private final FileChannel channel;
        private final FileLock fileLock;

        private BlobLock(ReentrantLock inProcess, FileChannel channel, FileLock fileLock) {
            this.inProcess = inProcess;
            this.channel = channel;
            this.fileLock = fileLock;
        }

        static BlobLock take(Path lockFile) throws IOException {
            Files.createDirectories(lockFile.getParent());
            ReentrantLock l = BLOB_LOCKS.computeIfAbsent(lockFile.toAbsolutePath().normalize(),
                    k -> new ReentrantLock());
            l.lock();
            FileChannel ch = null;
            try {
                ch = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                FileLock fl;
                try {
                    fl = ch.lock();
                } catch (IOException e) {
                    // File systems without locks (some network mounts): the in-process lock, the process-unique
                    // checks (size, sha256) and the atomic rename still keep the cache consistent.
                    fl = null;
                }
                return new BlobLock(l, ch, fl);
            } catch (IOException | RuntimeException e) {
                if (ch != null) {
                    ch.close();
                }
                l.unlock();
                throw e;
            }
        }

        @Override
        public void close() throws IOException {
            try {
                if (fileLock != null) {
                    fileLock.release();
                }
                channel.close();
            } finally {
                inProcess.unlock();
            }
        }
    }
}

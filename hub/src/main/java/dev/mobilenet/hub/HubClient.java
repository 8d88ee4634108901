package dev.mobilenet.hub;

import dev.mobilenet.Printable;
import dev.mobilenet.hub.HubException.Kind;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Optional;

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

    private final HubSettings settings;
    private final HubCache cache;
    private final HubHttp http;
    private final BlobDownload blobs;

    public HubClient(HubSettings settings) {
        this(settings, BlobWriter::append);
    }

    HubClient(HubSettings settings, BlobWriter.Opener writers) {
        this.settings = settings;
        this.cache = new HubCache(settings.cacheDir());
        this.http = new HubHttp(settings);
        this.blobs = new BlobDownload(http, writers);
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
                + " not found on the Hub (" + HubUrls.resolveUrl(settings.endpoint(), repoId, revision, filename)
                + ")"));
    }

    /**
     * Like {@link #download} but empty when the Hub says (now, or earlier as recorded in the cache) that the file
     * does not exist in the repository. Other failures still throw.
     */
    public Optional<Path> downloadIfExists(String repoId, String filename, String revision,
                                           ProgressListener listener) {
        return fetch(repoId, filename, revision, listener);
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
        URI url = HubUrls.uri(HubUrls.resolveUrl(settings.endpoint(), repoId, revision, filename));
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
            if (Files.isRegularFile(pointer) && BlobDownload.intact(pointer, meta)) {
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
                if (!Files.isRegularFile(blob, LinkOption.NOFOLLOW_LINKS) || !BlobDownload.intact(blob, meta)) {
                    if (Files.isRegularFile(blob, LinkOption.NOFOLLOW_LINKS)) {
                        listener.notice("the cached " + what + " is damaged (" + Files.size(blob) + " bytes, the Hub"
                                + " announces " + meta.size + ", or another sha256); downloading it again");
                    }
                    blobs.download(meta, cache.incompletePath(repoId, meta.etag), blob, what, repoId + "/" + filename,
                            listener);
                }
                if (!Files.isRegularFile(pointer) || !BlobDownload.intact(pointer, meta)) {
                    Files.deleteIfExists(pointer);
                    HubCache.link(blob, pointer, settings.symlinks());
                }
            }
            return pointer;
        } catch (IOException e) {
            throw cacheError(e, what, pointer.getParent());
        }
    }

    private HubException cacheError(IOException e, String what, Path where) {
        if (Downloads.isDiskFull(e)) {
            return new HubException(Kind.DISK_FULL, "no space left on device while storing " + what + " in "
                    + where, e);
        }
        return new HubException(Kind.CACHE_IO, "cannot write " + what + " to the Hub cache " + cache.root() + ": "
                + Printable.oneLine(e.getMessage() == null ? e.toString() : e.getMessage()), e);
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
            HttpRequest.Builder req = http.request(url, HubUrls.sameOrigin(url, http.endpointUri()))
                    .method("HEAD", HttpRequest.BodyPublishers.noBody())
                    .timeout(settings.etagTimeout());
            HttpResponse<Void> r;
            try {
                r = http.client.send(req.build(), HttpResponse.BodyHandlers.discarding());
            } catch (IOException e) {
                String brief = "cannot reach " + settings.endpoint() + " ("
                        + Downloads.describeNetwork(e, url.getHost()) + ")";
                throw new MetadataFailure(new HubException(Kind.UNREACHABLE, brief + " and " + what
                        + " is not in the Hub cache " + cache.root(), e), brief);
            } catch (InterruptedException e) {
                throw HubHttp.interrupted(what, e);
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
                        + "); for a private or gated repository " + http.tokenAdvice()));
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
                        + HubUrls.quoteValue(loc.get())));
            }
            try {
                target = HubUrls.checkHttp(target, url);
            } catch (HubException e) {
                throw new MetadataFailure(e);
            }
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
                    + HubUrls.quoteValue(commit.get()) + " (expected 40 hex digits)"));
        }
        String etag = normalizeEtag(h.firstValue("X-Linked-Etag").or(() -> h.firstValue("ETag")).orElse(null));
        if (etag == null) {
            throw new MetadataFailure(new HubException(Kind.BAD_RESPONSE, url + " answered without an ETag" + hint));
        }
        if (!HubCache.validEtag(etag)) {
            throw new MetadataFailure(new HubException(Kind.BAD_RESPONSE, url + " answered an ETag that cannot name"
                    + " a cache file: " + HubUrls.quoteValue(etag)));
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
                    + HubUrls.quoteValue(size.get())));
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

    private HubException accessDenied(int status, URI url, String repoId) {
        return new HubException(Kind.ACCESS_DENIED, "access to " + repoId + " denied (HTTP " + status + " for " + url
                + "): the repository is gated or private; " + http.tokenAdvice());
    }

    private static String errorSuffix(HttpHeaders h) {
        return h.firstValue("X-Error-Message").map(m -> ": " + Printable.oneLine(m)).orElse("");
    }

    static String describe(String repoId, String filename, String revision) {
        return repoId + "/" + filename + (revision.equals("main") ? "" : " at revision " + revision);
    }
}

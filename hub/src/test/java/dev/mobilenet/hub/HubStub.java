package dev.mobilenet.hub;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A local imitation of the Hugging Face Hub for tests: two servers on 127.0.0.1 (two origins), the Hub and a CDN.
 * <ul>
 * <li>{@code HEAD|GET /{org}/{name}/resolve/{main|commit}/{file}} of an LFS file: 302 to the CDN (absolute, other
 * origin; or relative {@code /cdn/...} on the Hub itself) with X-Repo-Commit, X-Linked-Etag (sha256, quoted),
 * X-Linked-Size and the ETag of the git pointer;</li>
 * <li>of a regular file: 200 with the content, ETag (git blob sha1, quoted) and X-Repo-Commit;</li>
 * <li>unknown repository: 404 RepoNotFound; unknown file: 404 EntryNotFound with X-Repo-Commit; a missing or wrong
 * token when one is required: 401 GatedRepo;</li>
 * <li>{@code GET /cdn/{sha256}}: the content, honouring {@code Range: bytes=N-} with 206 (or not, on request).</li>
 * </ul>
 * Every request is recorded with its headers. Knobs are plain fields, set before the request.
 */
public final class HubStub implements AutoCloseable {
    /** A request as the stub saw it. */
    public record Request(String server, String method, String path, Map<String, List<String>> headers) {
        public String header(String name) {
            for (Map.Entry<String, List<String>> e : headers.entrySet()) {
                if (e.getKey().equalsIgnoreCase(name)) {
                    return e.getValue().get(0);
                }
            }
            return null;
        }
    }

    private record File(byte[] content, boolean lfs) {
    }

    private final HttpServer hub;
    private final HttpServer cdn;
    private final Map<String, Map<String, File>> repos = new ConcurrentHashMap<>();
    private final Map<String, byte[]> blobs = new ConcurrentHashMap<>();
    private final Map<String, String> renamed = new ConcurrentHashMap<>();
    private final List<Request> requests = java.util.Collections.synchronizedList(new ArrayList<>());

    /** Token the Hub requires (401 without it), or null. */
    public volatile String requiredToken;
    /** LFS redirects go to the other server (true) or to an absolute /cdn URL on the Hub's own origin (false). */
    public volatile boolean crossOriginCdn = true;
    /** The CDN flips one byte in the middle of every body. */
    public volatile boolean corrupt;
    /** The CDN answers every GET with 200 and the whole file, ignoring Range. */
    public volatile boolean ignoreRange;
    /** The CDN answers this many ranged requests with 416. */
    public final AtomicInteger rangeNotSatisfiable = new AtomicInteger();
    /** The CDN stops sending (without closing) halfway through this many responses, for {@link #stallMillis}. */
    public final AtomicInteger stallMidway = new AtomicInteger();
    public volatile long stallMillis = 3000;
    /** The CDN breaks this many responses off after {@link #dropAfter} bytes (or half of them when negative). */
    public final AtomicInteger dropMidway = new AtomicInteger();
    public volatile int dropAfter = -1;
    /** The Hub leaves out X-Repo-Commit. */
    public volatile boolean omitCommit;
    /** LFS redirects point here instead of the CDN (any URL, e.g. file:///etc/passwd), or null. */
    public volatile String lfsLocation;
    /** The Hub answers every resolve request with this status, or 0. */
    public volatile int forceStatus;

    private HubStub() throws IOException {
        hub = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        cdn = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        hub.createContext("/", ex -> handle("hub", ex));
        cdn.createContext("/", ex -> handle("cdn", ex));
        hub.setExecutor(Executors.newCachedThreadPool());
        cdn.setExecutor(Executors.newCachedThreadPool());
        hub.start();
        cdn.start();
    }

    /** {@code size} seeded random bytes: a weights file whose every byte matters to its hash. */
    public static byte[] randomBytes(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    public static HubStub start() {
        try {
            return new HubStub();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public String endpoint() {
        return "http://127.0.0.1:" + hub.getAddress().getPort();
    }

    public String cdnOrigin() {
        return "http://127.0.0.1:" + cdn.getAddress().getPort();
    }

    /** Adds a file stored with git LFS (the weights). */
    public HubStub lfs(String repoId, String filename, byte[] content) {
        repos.computeIfAbsent(repoId, k -> new ConcurrentHashMap<>()).put(filename, new File(content, true));
        blobs.put(sha256(content), content);
        return this;
    }

    /** Adds a file stored in git itself (config.json). */
    public HubStub regular(String repoId, String filename, byte[] content) {
        repos.computeIfAbsent(repoId, k -> new ConcurrentHashMap<>()).put(filename, new File(content, false));
        return this;
    }

    /** An empty repository: it exists, files in it are 404 EntryNotFound. */
    public HubStub repo(String repoId) {
        repos.computeIfAbsent(repoId, k -> new ConcurrentHashMap<>());
        return this;
    }

    /** Requests for {@code oldId} are redirected (307, relative Location) to {@code newId}, as after a rename. */
    public HubStub rename(String oldId, String newId) {
        renamed.put(oldId, newId);
        return this;
    }

    /** The commit every revision of a repository resolves to: a fixed function of its id. */
    /** A listener that keeps only the notices, in order. */
    public static ProgressListener noticesTo(List<String> notices) {
        return new ProgressListener() {
            @Override
            public void progress(long done, long total) {
            }

            @Override
            public void notice(String line) {
                notices.add(line);
            }
        };
    }

    public static String commit(String repoId) {
        return hex("SHA-1", ("commit of " + repoId).getBytes(StandardCharsets.UTF_8));
    }

    public static String sha256(byte[] b) {
        return hex("SHA-256", b);
    }

    /** git's blob id: sha1 of "blob {size}\0{content}". */
    public static String gitSha1(byte[] b) {
        byte[] head = ("blob " + b.length + "\0").getBytes(StandardCharsets.US_ASCII);
        byte[] all = new byte[head.length + b.length];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(b, 0, all, head.length, b.length);
        return hex("SHA-1", all);
    }

    public List<Request> requests() {
        synchronized (requests) {
            return List.copyOf(requests);
        }
    }

    public List<Request> requests(String server, String method) {
        return requests().stream().filter(r -> r.server.equals(server) && r.method.equals(method)).toList();
    }

    public void clearRequests() {
        requests.clear();
    }

    @Override
    public void close() {
        hub.stop(0);
        cdn.stop(0);
        ((java.util.concurrent.ExecutorService) hub.getExecutor()).shutdownNow();
        ((java.util.concurrent.ExecutorService) cdn.getExecutor()).shutdownNow();
    }

    private static final Pattern RESOLVE = Pattern.compile("/([^/]+/[^/]+)/resolve/([^/]+)/(.+)");
    private static final Pattern RANGE = Pattern.compile("bytes=(\\d+)-");

    private void handle(String server, HttpExchange ex) throws IOException {
        try (ex) {
            String path = ex.getRequestURI().getRawPath();
            requests.add(new Request(server, ex.getRequestMethod(), path, Map.copyOf(ex.getRequestHeaders())));
            if (path.startsWith("/cdn/")) {
                serveBlob(ex, path.substring(5));
                return;
            }
            Matcher m = RESOLVE.matcher(path);
            if (!server.equals("hub") || !m.matches()) {
                send(ex, 404, new byte[0]);
                return;
            }
            String repoId = m.group(1);
            String commit = commit(repoId);
            Headers h = ex.getResponseHeaders();
            if (forceStatus != 0) {
                send(ex, forceStatus, new byte[0]);
                return;
            }
            String renamedTo = renamed.get(repoId);
            if (renamedTo != null) {
                h.set("Location", "/" + renamedTo + path.substring(1 + repoId.length()));
                send(ex, 307, new byte[0]);
                return;
            }
            Map<String, File> files = repos.get(repoId);
            if (files == null) {
                h.set("X-Error-Code", "RepoNotFound");
                send(ex, 404, new byte[0]);
                return;
            }
            if (requiredToken != null && !("Bearer " + requiredToken).equals(
                    ex.getRequestHeaders().getFirst("Authorization"))) {
                h.set("X-Error-Code", "GatedRepo");
                send(ex, 401, new byte[0]);
                return;
            }
            String rev = m.group(2);
            if (!rev.equals("main") && !rev.equals(commit)) {
                h.set("X-Error-Code", "RevisionNotFound");
                send(ex, 404, new byte[0]);
                return;
            }
            if (!omitCommit) {
                h.set("X-Repo-Commit", commit);
            }
            File f = files.get(m.group(3));
            if (f == null) {
                h.set("X-Error-Code", "EntryNotFound");
                send(ex, 404, new byte[0]);
                return;
            }
            if (f.lfs) {
                String sha = sha256(f.content);
                h.set("X-Linked-Etag", "\"" + sha + "\"");
                h.set("X-Linked-Size", Long.toString(f.content.length));
                h.set("ETag", "W/\"" + gitSha1(("version https://git-lfs.github.com/spec/v1\noid sha256:" + sha
                        + "\nsize " + f.content.length + "\n").getBytes(StandardCharsets.US_ASCII)) + "\"");
                h.set("Location", lfsLocation != null ? lfsLocation
                        : (crossOriginCdn ? cdnOrigin() : endpoint()) + "/cdn/" + sha + "?X-Amz-Signature=abc");
                send(ex, 302, new byte[0]);
            } else {
                h.set("ETag", "\"" + gitSha1(f.content) + "\"");
                send(ex, 200, f.content);
            }
        }
    }

    private void serveBlob(HttpExchange ex, String sha) throws IOException {
        byte[] content = blobs.get(sha);
        if (content == null) {
            send(ex, 404, new byte[0]);
            return;
        }
        byte[] body = content.clone();
        if (corrupt && body.length > 0) {
            body[body.length / 2] ^= 0x5a;
        }
        String range = ex.getRequestHeaders().getFirst("Range");
        Matcher m = range == null ? null : RANGE.matcher(range);
        if (m != null && m.matches() && !ignoreRange) {
            if (rangeNotSatisfiable.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                ex.getResponseHeaders().set("Content-Range", "bytes */" + body.length);
                send(ex, 416, new byte[0]);
                return;
            }
            int from = Integer.parseInt(m.group(1));
            if (from >= body.length) {
                ex.getResponseHeaders().set("Content-Range", "bytes */" + body.length);
                send(ex, 416, new byte[0]);
                return;
            }
            ex.getResponseHeaders().set("Content-Range", "bytes " + from + "-" + (body.length - 1) + "/"
                    + body.length);
            byte[] part = java.util.Arrays.copyOfRange(body, from, body.length);
            sendMaybeDropped(ex, 206, part);
            return;
        }
        sendMaybeDropped(ex, 200, body);
    }

    private void sendMaybeDropped(HttpExchange ex, int status, byte[] body) throws IOException {
        if (ex.getRequestMethod().equals("GET") && dropMidway.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            ex.sendResponseHeaders(status, body.length);
            OutputStream out = ex.getResponseBody();
            out.write(body, 0, dropAfter < 0 ? body.length / 2 : Math.min(dropAfter, body.length));
            out.flush();
            // Closing a fixed-length body early makes the server drop the connection mid-transfer.
            return;
        }
        if (ex.getRequestMethod().equals("GET") && stallMidway.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            ex.sendResponseHeaders(status, body.length);
            OutputStream out = ex.getResponseBody();
            out.write(body, 0, body.length / 2);
            out.flush();
            try {
                Thread.sleep(stallMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return;
        }
        send(ex, status, body);
    }

    private static void send(HttpExchange ex, int status, byte[] body) throws IOException {
        if (ex.getRequestMethod().toUpperCase(Locale.ROOT).equals("HEAD")) {
            if (status == 200) {
                ex.getResponseHeaders().set("Content-Length", Integer.toString(body.length));
            }
            ex.sendResponseHeaders(status, -1);
            return;
        }
        ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        }
    }

    private static String hex(String algorithm, byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(b));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

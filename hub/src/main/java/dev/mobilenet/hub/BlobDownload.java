package dev.mobilenet.hub;

import dev.mobilenet.Printable;
import dev.mobilenet.hub.HubException.Kind;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One blob's transfer into the cache: a GET of the redirect target into {@code blobs/<etag>.incomplete}, resumed with
 * a Range request, retried on transient failures, hashed as the bytes arrive, checked against the announced size
 * and sha256, then renamed to {@code blobs/<etag>}.
 */
final class BlobDownload {
    private static final int MAX_REDIRECTS = 10;
    private static final int MAX_RETRIES = 5;
    private static final long RETRY_PAUSE_MILLIS = 500;
    private static final int BUFFER_BYTES = 1 << 16;
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern CONTENT_RANGE = Pattern.compile("bytes\\s+(\\d+)-(\\d+)/(\\d+|\\*)");

    private final HubHttp http;
    private final BlobWriter.Opener writers;

    BlobDownload(HubHttp http, BlobWriter.Opener writers) {
        this.http = http;
        this.writers = writers;
    }

    /**
     * Whether a cached file is what the Hub announces: its size, and for an LFS file (ETag = sha256) its hash.
     * A truncated or altered blob is then downloaded again instead of being served.
     */
    static boolean intact(Path file, HubClient.Metadata meta) throws IOException {
        if (Files.size(file) != meta.size()) {
            return false;
        }
        if (!SHA256.matcher(meta.etag()).matches()) {
            return true;
        }
        MessageDigest d = sha256();
        hashPrefix(file, meta.size(), d);
        return HexFormat.of().formatHex(d.digest()).equals(meta.etag());
    }

    void download(HubClient.Metadata meta, Path incomplete, Path blob, String what, String file,
                              ProgressListener listener)
            throws IOException {
        if (Files.exists(incomplete, LinkOption.NOFOLLOW_LINKS)
                && !Files.isRegularFile(incomplete, LinkOption.NOFOLLOW_LINKS)) {
            // A symlink (or anything else) planted as the partial download: writing through it would overwrite a
            // file outside the cache. Only the link itself goes.
            Files.delete(incomplete);
        }
        long have = Files.isRegularFile(incomplete, LinkOption.NOFOLLOW_LINKS) ? Files.size(incomplete) : 0;
        if (have > meta.size()) {
            Files.delete(incomplete);
            have = 0;
        }
        checkSpace(incomplete.getParent(), meta.size() - have, what);
        String sha = SHA256.matcher(meta.etag()).matches() ? meta.etag() : null;
        boolean keep = false;
        boolean done = false;
        listener.started(file, meta.size(), have);
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
            if (size != meta.size()) {
                throw new HubException(Kind.CORRUPT, "downloaded " + what + " has " + size + " bytes but the Hub"
                        + " announced " + meta.size() + "; the corrupt download was deleted, run again to retry");
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
                        + incomplete.getParent() + " (" + Downloads.size(meta.size()) + "); the partial download was"
                        + " deleted", e);
            }
            throw new HubException(Kind.CACHE_IO, "cannot write " + incomplete + ": "
                    + Printable.oneLine(e.getMessage() == null ? e.toString() : e.getMessage()), e);
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
        final HubClient.Metadata meta;
        final String what;
        final ProgressListener listener;
        final MessageDigest digest;
        BlobWriter writer;
        long have;

        Transfer(HubClient.Metadata meta, String what, ProgressListener listener, MessageDigest digest) {
            this.meta = meta;
            this.what = what;
            this.listener = listener;
            this.digest = digest;
        }

        void run() throws IOException {
            listener.progress(have, meta.size());
            int failures = 0;
            boolean restartedAfter416 = false;
            byte[] buf = new byte[BUFFER_BYTES];
            String lastError = null;
            while (have < meta.size()) {
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
                    if (have < meta.size()) {
                        throw new HubException(Kind.CORRUPT, "the server sent " + have + " of the " + meta.size()
                                + " bytes of " + what + " and ended the response; the corrupt download was deleted,"
                                + " run again to retry");
                    }
                } catch (TransientFailure e) {
                    lastError = e.getMessage();
                    failures = have > before ? 1 : failures + 1;
                    if (failures > MAX_RETRIES) {
                        throw new HubException(have > 0 ? Kind.INTERRUPTED : Kind.UNREACHABLE, "download of "
                                + what + " failed repeatedly (" + lastError
                                + ")" + (have > 0 ? "; " + have + " of " + meta.size() + " bytes are kept and the next"
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
            listener.progress(0, meta.size());
        }

        private void checkContentRange(HttpResponse<?> r) {
            String cr = r.headers().firstValue("Content-Range").orElse("");
            Matcher m = CONTENT_RANGE.matcher(cr.strip());
            if (!m.matches() || Long.parseLong(m.group(1)) != have) {
                throw new HubException(Kind.BAD_RESPONSE, "the server answered the request for bytes " + have
                        + "- of " + what + " with Content-Range " + HubUrls.quoteValue(cr) + " (" + r.uri() + ")");
            }
        }

        private void stream(InputStream in, byte[] buf) throws TransientFailure, IOException {
            try (ReadWatchdog watchdog = new ReadWatchdog(in, http.settings.downloadTimeout())) {
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
                        throw new TransientFailure("no data from " + meta.location().getHost() + " for "
                                + http.settings.downloadTimeout().toSeconds() + " s");
                    }
                    throw new TransientFailure(Downloads.describeNetwork(e, meta.location().getHost()));
                }
                watchdog.afterRead();
                if (n < 0) {
                    return;
                }
                if (have + n > meta.size()) {
                    throw new HubException(Kind.CORRUPT, "the server sent more than the " + meta.size()
                            + " bytes the Hub announced for " + what + "; the corrupt download was deleted, run"
                            + " again to retry");
                }
                writer.write(buf, 0, n);
                if (digest != null) {
                    digest.update(buf, 0, n);
                }
                have += n;
                listener.progress(have, meta.size());
            }
        }

        /** Sends the GET and follows redirects; the token is dropped for good once the origin changes. */
        private HttpResponse<InputStream> open() throws TransientFailure {
            URI url = meta.location();
            boolean auth = HubUrls.sameOrigin(url, http.endpointUri());
            for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
                HttpRequest.Builder req = http.request(url, auth).GET().timeout(http.settings.downloadTimeout());
                if (have > 0) {
                    req.header("Range", "bytes=" + have + "-");
                }
                HttpResponse<InputStream> r;
                try {
                    r = http.client.send(req.build(), HttpResponse.BodyHandlers.ofInputStream());
                } catch (IOException e) {
                    throw new TransientFailure(Downloads.describeNetwork(e, url.getHost()));
                } catch (InterruptedException e) {
                    throw HubHttp.interrupted(what, e);
                }
                int status = r.statusCode();
                if (status == 200 || status == 206 || status == 416) {
                    return r;
                }
                HubHttp.closeQuietly(r.body());
                if (status >= 300 && status < 400) {
                    String loc = r.headers().firstValue("Location").orElseThrow(() -> new HubException(
                            Kind.BAD_RESPONSE, r.uri() + " answered HTTP " + status + " without a Location"));
                    URI target;
                    try {
                        target = url.resolve(new URI(loc.strip()));
                    } catch (URISyntaxException | IllegalArgumentException e) {
                        throw new HubException(Kind.BAD_RESPONSE, url + " redirected to an invalid URL "
                                + HubUrls.quoteValue(loc));
                    }
                    target = HubUrls.checkHttp(target, url);
                    auth &= HubUrls.sameOrigin(target, url);
                    url = target;
                    continue;
                }
                if (status == 408 || status == 429 || status >= 500) {
                    throw new TransientFailure("HTTP " + status + " from " + url.getHost());
                }
                if (status == 401 || status == 403) {
                    throw new HubException(Kind.ACCESS_DENIED, "access denied to " + what + " (HTTP " + status
                            + " for " + url + ")" + (auth ? "; " + http.tokenAdvice() : ""));
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

        TransientFailure(String reason) {
            super(reason, null, false, false);
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

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }
}

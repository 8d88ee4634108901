package dev.mobilenet.hub;

import dev.mobilenet.MobileNetException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * huggingface_hub's cache layout, so that files either side downloaded are found by the other:
 * <pre>
 * {cache}/models--{org}--{name}/blobs/{etag}                    the bytes (etag = sha256 for LFS files, git sha1 else)
 * {cache}/models--{org}--{name}/snapshots/{commit}/{filename}   relative symlink ../../blobs/{etag} (or a copy)
 * {cache}/models--{org}--{name}/refs/{revision}                 the commit a branch or tag pointed to, no newline
 * {cache}/models--{org}--{name}/.no_exist/{commit}/{filename}   empty: the Hub said the file does not exist
 * {cache}/.locks/models--{org}--{name}/{etag}.lock              taken while a blob is written
 * </pre>
 */
public final class HubCache {
    /** A revision that is already a full commit hash (huggingface_hub's REGEX_COMMIT_HASH). */
    static final Pattern COMMIT = Pattern.compile("[0-9a-f]{40}");
    private static final Pattern REPO_PART = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,95}");
    private static final Pattern REVISION_PART = Pattern.compile("[A-Za-z0-9._+-]{1,128}");
    private static final Pattern ETAG = Pattern.compile("[A-Za-z0-9._-]{1,128}");
    private static final int MAX_REF_BYTES = 256;
    private static final String CACHEDIR_TAG = "Signature: 8a477f597d28d172789f06886806bc55\n"
            + "# This file is a cache directory tag created by huggingface_hub.\n"
            + "# For information about cache directory tags, see:\n"
            + "#\thttps://bford.info/cachedir/\n";

    private final Path root;

    public HubCache(Path root) {
        this.root = root;
    }

    public Path root() {
        return root;
    }

    /** What the cache knows about one file at one revision. */
    public enum State {
        /** The snapshot entry exists (its target too). */
        HIT,
        /** The Hub said earlier that the file does not exist at that commit. */
        ABSENT,
        /** Nothing known. */
        MISS
    }

    /**
     * A cache look-up.
     *
     * @param path   the snapshot entry when {@link State#HIT}
     * @param commit the commit the revision resolved to, when known
     */
    public record Lookup(State state, Optional<Path> path, Optional<String> commit) {
    }

    /** {@code models--timm--mobilenetv3_large_100.ra_in1k} for {@code timm/mobilenetv3_large_100.ra_in1k}. */
    public static String repoFolderName(String repoId) {
        checkRepoId(repoId);
        return "models--" + repoId.replace("/", "--");
    }

    public Path repoDir(String repoId) {
        return root.resolve(repoFolderName(repoId));
    }

    /**
     * huggingface_hub's try_to_load_from_cache: the revision goes through {@code refs/} unless it is a commit hash,
     * then {@code snapshots/{commit}/{filename}} is looked for. No network, no writes.
     */
    public Lookup find(String repoId, String filename, String revision) {
        checkFilename(filename);
        Optional<String> commit = commitOf(repoId, revision);
        if (commit.isEmpty()) {
            return new Lookup(State.MISS, Optional.empty(), Optional.empty());
        }
        Path pointer = snapshotPath(repoId, commit.get(), filename);
        if (Files.isRegularFile(pointer)) {
            return new Lookup(State.HIT, Optional.of(pointer), commit);
        }
        if (Files.exists(noExistPath(repoId, commit.get(), filename), LinkOption.NOFOLLOW_LINKS)) {
            return new Lookup(State.ABSENT, Optional.empty(), commit);
        }
        return new Lookup(State.MISS, Optional.empty(), commit);
    }

    /** The commit a revision stands for: itself when it is a commit hash, else what {@code refs/} says. */
    public Optional<String> commitOf(String repoId, String revision) {
        checkRevision(revision);
        if (COMMIT.matcher(revision).matches()) {
            return Optional.of(revision);
        }
        Path ref = refPath(repoId, revision);
        if (!Files.isRegularFile(ref)) {
            return Optional.empty();
        }
        byte[] b;
        try (InputStream in = Files.newInputStream(ref)) {
            b = in.readNBytes(MAX_REF_BYTES + 1);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new HubException(HubException.Kind.CACHE_IO, "cannot read " + ref + ": " + e.getMessage(), e);
        }
        String commit = new String(b, StandardCharsets.US_ASCII).strip();
        if (b.length > MAX_REF_BYTES || !COMMIT.matcher(commit).matches()) {
            throw new HubException(HubException.Kind.CACHE_IO, "cache file " + ref
                    + " does not hold a commit hash (40 hex digits); delete it to download again");
        }
        return Optional.of(commit);
    }

    Path snapshotPath(String repoId, String commit, String filename) {
        return repoDir(repoId).resolve("snapshots").resolve(commit).resolve(filename);
    }

    Path blobPath(String repoId, String etag) {
        return repoDir(repoId).resolve("blobs").resolve(etag);
    }

    Path incompletePath(String repoId, String etag) {
        return repoDir(repoId).resolve("blobs").resolve(etag + ".incomplete");
    }

    Path lockPath(String repoId, String etag) {
        return root.resolve(".locks").resolve(repoFolderName(repoId)).resolve(etag + ".lock");
    }

    Path refPath(String repoId, String revision) {
        return repoDir(repoId).resolve("refs").resolve(revision);
    }

    Path noExistPath(String repoId, String commit, String filename) {
        return repoDir(repoId).resolve(".no_exist").resolve(commit).resolve(filename);
    }

    /** Records that {@code revision} points at {@code commit}; nothing to do for a commit hash or an unchanged ref. */
    void writeRef(String repoId, String revision, String commit) throws IOException {
        if (revision.equals(commit)) {
            return;
        }
        Path ref = refPath(repoId, revision);
        if (Files.isRegularFile(ref)
                && new String(Files.readAllBytes(ref), StandardCharsets.US_ASCII).equals(commit)) {
            return;
        }
        Files.createDirectories(ref.getParent());
        Path tmp = tempSibling(ref);
        try {
            Files.write(tmp, commit.getBytes(StandardCharsets.US_ASCII));
            moveAtomically(tmp, ref);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    void markAbsent(String repoId, String commit, String filename) throws IOException {
        Path p = noExistPath(repoId, commit, filename);
        Files.createDirectories(p.getParent());
        if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
            Files.write(p, new byte[0]);
        }
    }

    /** Writes CACHEDIR.TAG so that backup tools skip the cache; best effort, as in huggingface_hub. */
    void tagCacheDir() {
        Path tag = root.resolve("CACHEDIR.TAG");
        if (Files.exists(tag)) {
            return;
        }
        try {
            Path tmp = tempSibling(tag);
            try {
                Files.writeString(tmp, CACHEDIR_TAG, StandardCharsets.US_ASCII);
                moveAtomically(tmp, tag);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            // Only a courtesy to backup tools; a read-only cache root still works.
        }
    }

    /**
     * Makes {@code pointer} name {@code blob}: a relative symlink ({@code ../../blobs/<etag>}) as huggingface_hub
     * makes it, or a copy when symlinks are off or the file system refuses them. Replaces atomically.
     */
    static void link(Path blob, Path pointer, boolean symlinks) throws IOException {
        Files.createDirectories(pointer.getParent());
        Path tmp = tempSibling(pointer);
        try {
            boolean linked = false;
            if (symlinks) {
                Path target = pointer.toAbsolutePath().getParent().relativize(blob.toAbsolutePath());
                try {
                    Files.createSymbolicLink(tmp, target);
                    linked = true;
                } catch (UnsupportedOperationException | FileSystemException e) {
                    if (Downloads.isDiskFull(e)) {
                        throw e;
                    }
                }
            }
            if (!linked) {
                Files.copy(blob, tmp, StandardCopyOption.REPLACE_EXISTING);
            }
            moveAtomically(tmp, pointer);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    static void moveAtomically(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static Path tempSibling(Path p) {
        return p.resolveSibling(p.getFileName() + "." + Long.toHexString(ThreadLocalRandom.current().nextLong()
                & Long.MAX_VALUE) + ".tmp");
    }

    /** {@code org/name}, each part a Hub-safe name. */
    static void checkRepoId(String repoId) {
        String[] parts = repoId == null ? new String[0] : repoId.split("/", -1);
        boolean ok = parts.length == 2;
        for (String p : parts) {
            ok &= REPO_PART.matcher(p).matches() && !p.contains("..") && !p.contains("--");
        }
        if (!ok) {
            throw new MobileNetException("invalid Hub repository id '" + repoId + "' (expected org/name)");
        }
    }

    /** A branch, tag or commit: slash-separated names, no '..', as it becomes a path under refs/. */
    static void checkRevision(String revision) {
        boolean ok = revision != null && !revision.isEmpty() && revision.length() <= 256;
        if (ok) {
            for (String p : revision.split("/", -1)) {
                ok &= REVISION_PART.matcher(p).matches() && !p.equals(".") && !p.equals("..");
            }
        }
        if (!ok) {
            throw new MobileNetException("invalid Hub revision '" + revision
                    + "' (a branch, tag or commit hash such as main)");
        }
    }

    static void checkFilename(String filename) {
        boolean ok = filename != null && !filename.isEmpty() && filename.length() <= 256;
        if (ok) {
            for (String p : filename.split("/", -1)) {
                ok &= !p.isEmpty() && !p.equals(".") && !p.equals("..") && p.chars().allMatch(c -> c >= 0x20
                        && c != 0x7f && c != '\\' && c != ':');
            }
        }
        if (!ok) {
            throw new MobileNetException("invalid file name in a Hub repository: '" + filename + "'");
        }
    }

    /** A normalized etag is used as a file name: it must be one plain name. */
    static boolean validEtag(String etag) {
        return etag != null && ETAG.matcher(etag).matches() && !etag.equals(".") && !etag.equals("..");
    }
}

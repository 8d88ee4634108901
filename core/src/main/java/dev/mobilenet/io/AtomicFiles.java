package dev.mobilenet.io;

import dev.mobilenet.MobileNetException;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Writes files so that readers see either the old content or the complete new content, never a half-written file:
 * the bytes go to a temporary file in the same directory, which is flushed to disk and then renamed over the target,
 * and the directory is flushed after the rename.
 *
 * <p>Temporary names carry the writing process's id ({@code .name.tmp-<pid>-<random>}); a write first removes the
 * temporaries of its target that a dead process (kill -9, power loss) left behind, so they do not pile up, and never
 * touches those of a live writer. Concurrent writers of one target each rename a whole file; the last rename wins.
 */
public final class AtomicFiles {
    private static final int BUFFER_BYTES = 1 << 16;
    private static final String TMP = ".tmp-";
    /**
     * Fault injection for the crash tests (never set in use): with {@code -Dmobilenet.faults.haltAtRename=K} the
     * process halts, as kill -9 would stop it, just before its K-th rename (counted from 1 over the whole process).
     */
    private static final int HALT_AT_RENAME = Integer.getInteger("mobilenet.faults.haltAtRename", -1);
    private static final AtomicInteger RENAMES = new AtomicInteger();

    /** Produces the content of a file. The stream is buffered; closing it is allowed but not needed. */
    @FunctionalInterface
    public interface IoWriter {
        void write(OutputStream out) throws IOException;
    }

    private AtomicFiles() {
    }

    /**
     * Writes {@code target} atomically with the bytes {@code body} produces. If {@code body} or the
     * file system fails, the temporary file is removed and {@code target} is left as it was.
     *
     * @throws MobileNetException if the directory does not exist or an I/O error occurs; runtime
     *     exceptions thrown by {@code body} propagate unchanged
     */
    public static void write(Path target, IoWriter body) {
        writeAll(Map.of(target, body));
    }

    /**
     * Writes files that belong together: every body is written and flushed to its temporary file first, and only
     * when all succeeded are they renamed into place, in iteration order. A failure before the renames leaves every
     * target as it was (a rename itself failing midway, which needs no space, would leave the earlier ones new).
     * Targets must be distinct paths.
     */
    public static void writeAll(Map<Path, IoWriter> files) {
        Map<Path, Path> temps = new LinkedHashMap<>();
        Set<Path> seen = new HashSet<>();
        for (Path target : files.keySet()) {
            Path absolute = checkTarget(target);
            if (!seen.add(absolute)) {
                throw new MobileNetException("cannot write " + target + " twice in one set of outputs");
            }
        }
        Path current = null;
        try {
            for (Map.Entry<Path, IoWriter> e : files.entrySet()) {
                current = e.getKey();
                Path absolute = current.toAbsolutePath();
                sweepStale(absolute);
                Path tmp = tempSibling(absolute);
                temps.put(absolute, tmp);
                writeTemp(tmp, e.getValue());
            }
            Set<Path> dirs = new HashSet<>();
            for (Map.Entry<Path, Path> e : temps.entrySet()) {
                current = e.getKey();
                move(e.getValue(), e.getKey());
                dirs.add(e.getKey().getParent());
            }
            for (Path dir : dirs) {
                syncDirectory(dir);
            }
        } catch (IOException e) {
            MobileNetException m = new MobileNetException("cannot write " + current + ": " + IoSupport.describe(e), e);
            removeTemps(temps.values(), m);
            throw m;
        } catch (RuntimeException | Error e) {
            removeTemps(temps.values(), e);
            throw e;
        }
    }

    private static void removeTemps(Iterable<Path> temps, Throwable failure) {
        for (Path tmp : temps) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException cleanup) {
                failure.addSuppressed(cleanup);
            }
        }
    }

    /** A fresh temporary name beside {@code target}: {@code .name.tmp-<pid>-<random>}. */
    public static Path tempSibling(Path target) {
        Path absolute = target.toAbsolutePath();
        return absolute.resolveSibling("." + absolute.getFileName() + TMP + ProcessHandle.current().pid() + "-"
                + Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE));
    }

    /**
     * Removes the temporaries of {@code target} (files or folders named as by {@link #tempSibling}) whose process is
     * no longer running. Returns how many were removed.
     */
    public static int sweepStale(Path target) {
        Path absolute = target.toAbsolutePath();
        Path dir = absolute.getParent();
        String prefix = "." + absolute.getFileName() + TMP;
        List<Path> stale = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, p -> p.getFileName().toString()
                .startsWith(prefix))) {
            for (Path p : ds) {
                String rest = p.getFileName().toString().substring(prefix.length());
                int dash = rest.indexOf('-');
                long pid;
                try {
                    pid = Long.parseLong(dash < 0 ? rest : rest.substring(0, dash));
                } catch (NumberFormatException e) {
                    continue;
                }
                if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                    continue;
                }
                stale.add(p);
            }
        } catch (IOException e) {
            return 0;
        }
        int n = 0;
        for (Path p : stale) {
            if (deleteTree(p)) {
                n++;
            }
        }
        return n;
    }

    /** Deletes a file or a folder with everything in it; false if anything stayed. */
    public static boolean deleteTree(Path p) {
        try {
            if (Files.isDirectory(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                try (DirectoryStream<Path> ds = Files.newDirectoryStream(p)) {
                    for (Path c : ds) {
                        deleteTree(c);
                    }
                }
            }
            Files.deleteIfExists(p);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Flushes a directory's entries (a rename into it) to disk. Returns false where the file system or platform
     * cannot open or flush a directory; the rename itself stands either way.
     */
    public static boolean syncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static Path checkTarget(Path target) {
        Path absolute = target.toAbsolutePath();
        Path dir = absolute.getParent();
        Path shownDir = target.getParent() != null ? target.getParent() : dir;
        if (dir == null || Files.isDirectory(target)) {
            throw new MobileNetException("cannot write " + target + ": is a directory");
        }
        if (!Files.isDirectory(dir)) {
            if (Files.exists(dir)) {
                throw new MobileNetException("cannot write " + target + ": " + shownDir + " is not a directory");
            }
            throw new MobileNetException("cannot write " + target + ": directory " + shownDir + " does not exist");
        }
        return absolute.normalize();
    }

    private static void writeTemp(Path tmp, IoWriter body) throws IOException {
        try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            OutputStream raw = Channels.newOutputStream(channel);
            // The body may close its stream; that must not close the channel before we force it.
            BufferedOutputStream out = new BufferedOutputStream(raw, BUFFER_BYTES) {
                @Override
                public void close() throws IOException {
                    flush();
                }
            };
            body.write(out);
            out.flush();
            channel.force(true);
        }
    }

    private static void move(Path tmp, Path target) throws IOException {
        if (HALT_AT_RENAME > 0 && RENAMES.incrementAndGet() == HALT_AT_RENAME) {
            Runtime.getRuntime().halt(137);
        }
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}

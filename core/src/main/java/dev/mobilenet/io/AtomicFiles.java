package dev.mobilenet.io;

import dev.mobilenet.MobileNetException;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Writes a file so that readers see either the old content or the complete new content, never a
 * half-written file: the bytes go to a temporary file in the same directory, which is flushed to
 * disk and then renamed over the target.
 */
public final class AtomicFiles {
    private static final int BUFFER_BYTES = 1 << 16;

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
        Path tmp = dir.resolve("." + absolute.getFileName() + ".tmp-"
                + Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE));
        boolean done = false;
        try {
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
            try {
                Files.move(tmp, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, absolute, StandardCopyOption.REPLACE_EXISTING);
            }
            done = true;
        } catch (IOException e) {
            throw new MobileNetException("cannot write " + target + ": " + IoSupport.describe(e), e);
        } finally {
            if (!done) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException | RuntimeException ignored) {
                    // Best effort: the original failure is what the caller needs to see.
                }
            }
        }
    }
}

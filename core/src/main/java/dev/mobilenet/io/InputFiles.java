package dev.mobilenet.io;

import dev.mobilenet.MobileNetException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Opening an input file the way every reader here must: only a regular file (a FIFO would block the open for
 * ever, a device such as /dev/zero never ends), its size checked against a bound before a byte is read, and the
 * stream itself bounded, so a file that grows while it is read cannot exceed the bound either.
 */
public final class InputFiles {
    private InputFiles() {
    }

    /**
     * The size of {@code path} after checking that it is a regular file (symlinks followed) of at most
     * {@code maxBytes}; {@code what} names the kind of file in messages ("image", "labels file").
     */
    public static long checkedSize(Path path, long maxBytes, String what) {
        BasicFileAttributes a;
        try {
            a = Files.readAttributes(path, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            throw new MobileNetException(path + ": no such file", e);
        } catch (IOException e) {
            throw new MobileNetException(path + ": cannot read: " + IoSupport.describe(e), e);
        }
        if (a.isDirectory()) {
            throw new MobileNetException(path + ": is a directory, not " + withArticle(what));
        }
        if (!a.isRegularFile()) {
            throw new MobileNetException(path + ": not a regular file (" + kind(path) + "), not " + withArticle(what));
        }
        if (a.size() > maxBytes) {
            throw new MobileNetException(path + ": file of " + a.size() + " bytes is larger than the limit of "
                    + maxBytes + " bytes for " + withArticle(what));
        }
        return a.size();
    }

    /** Opens {@code path} after {@link #checkedSize}; reading more than {@code maxBytes} fails. */
    public static InputStream open(Path path, long maxBytes, String what) throws IOException {
        checkedSize(path, maxBytes, what);
        return bounded(Files.newInputStream(path), maxBytes, path + ": grew beyond the limit of " + maxBytes
                + " bytes for a " + what + " while being read");
    }

    /** A stream that fails with {@code message} (an IOException) once more than {@code maxBytes} were read. */
    public static InputStream bounded(InputStream in, long maxBytes, String message) {
        return new FilterInputStream(in) {
            private long count;

            @Override
            public int read() throws IOException {
                int b = super.read();
                if (b >= 0) {
                    account(1);
                }
                return b;
            }

            @Override
            public int read(byte[] buf, int off, int len) throws IOException {
                int n = super.read(buf, off, len);
                if (n > 0) {
                    account(n);
                }
                return n;
            }

            private void account(long n) throws IOException {
                count += n;
                if (count > maxBytes) {
                    throw new IOException(message);
                }
            }
        };
    }

    private static String kind(Path path) {
        try {
            Object mode = Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS);
            if (Files.isSymbolicLink(path)) {
                mode = Files.getAttribute(path, "unix:mode");
            }
            int type = ((Integer) mode) & 0170000;
            return switch (type) {
                case 0010000 -> "a FIFO";
                case 0020000 -> "a character device";
                case 0060000 -> "a block device";
                case 0140000 -> "a socket";
                default -> "a special file";
            };
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException | ClassCastException e) {
            return "a special file";
        }
    }

    private static String withArticle(String what) {
        return ("aeiou".indexOf(Character.toLowerCase(what.charAt(0))) >= 0 ? "an " : "a ") + what;
    }
}

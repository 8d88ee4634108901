package dev.mobilenet.hub;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Where a download's bytes go: the {@code .incomplete} file, appended to. A seam for tests of disk failures. */
interface BlobWriter extends Closeable {
    /** Opens {@code path} for appending, creating it when missing. */
    @FunctionalInterface
    interface Opener {
        BlobWriter open(Path path) throws IOException;
    }

    void write(byte[] b, int off, int len) throws IOException;

    /** Drops everything written so far (a server that ignored the Range request sends the whole file again). */
    void truncate() throws IOException;

    void force() throws IOException;

    static BlobWriter append(Path path) throws IOException {
        FileChannel ch = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                LinkOption.NOFOLLOW_LINKS);
        ch.position(ch.size());
        return new BlobWriter() {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                ByteBuffer buf = ByteBuffer.wrap(b, off, len);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
            }

            @Override
            public void truncate() throws IOException {
                ch.truncate(0);
                ch.position(0);
            }

            @Override
            public void force() throws IOException {
                ch.force(true);
            }

            @Override
            public void close() throws IOException {
                ch.close();
            }
        };
    }
}

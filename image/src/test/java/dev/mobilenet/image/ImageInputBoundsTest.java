package dev.mobilenet.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mobilenet.MobileNetException;
import dev.mobilenet.testing.Hostile;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11, defects 5 and 15: what an image path can be besides an image. Special files are refused before they are
 * opened (the timeout only guards the build against the hang this prevents), oversized files before they are read,
 * and a bad input costs only itself.
 */
class ImageInputBoundsTest {
    @TempDir
    Path dir;

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void fifoIsRefusedWithoutOpeningIt() throws Exception {
        Path fifo = dir.resolve("pipe.jpg");
        Process p = new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start();
        assertEquals(0, p.waitFor());
        MobileNetException e = assertThrows(MobileNetException.class, () -> new ImageDecoder().decode(fifo));
        assertTrue(e.getMessage().contains("not a regular file (a FIFO)"), e.getMessage());
        Hostile.checkMessage(e);
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void deviceIsRefused() {
        MobileNetException e = assertThrows(MobileNetException.class,
                () -> new ImageDecoder().decode(Path.of("/dev/zero")));
        assertTrue(e.getMessage().contains("not a regular file (a character device)"), e.getMessage());
    }

    @Test
    void fileWithoutASignatureIsRefusedFromItsFirstBytes() throws Exception {
        Path big = sparse("zeros.jpg", new byte[0], 1L << 30);
        MobileNetException e = assertThrows(MobileNetException.class, () -> new ImageDecoder().decode(big));
        assertTrue(e.getMessage().contains("unrecognised signature"), e.getMessage());
    }

    @Test
    void fileLargerThanTheReadBudgetIsRefusedBeforeReading() throws Exception {
        long size = Runtime.getRuntime().maxMemory() / 4 + (1 << 20);
        Path big = sparse("huge.jpg", new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF}, size);
        MobileNetException e = assertThrows(MobileNetException.class, () -> new ImageDecoder().decode(big));
        assertTrue(e.getMessage().contains("allows for reading images"), e.getMessage());
        Hostile.checkMessage(e);
    }

    private Path sparse(String name, byte[] head, long size) throws Exception {
        Path p = dir.resolve(name);
        try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "rw")) {
            f.write(head);
            f.setLength(size);
        }
        assertEquals(size, Files.size(p));
        return p;
    }
}

package dev.mobilenet.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mobilenet.MobileNetException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {
    @TempDir
    Path dir;

    private List<String> listing() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
        }
    }

    @Test
    void writesNewFile() throws IOException {
        Path target = dir.resolve("a.bin");
        AtomicFiles.write(target, out -> out.write(new byte[] {1, 2, 3}));
        assertArrayEquals(new byte[] {1, 2, 3}, Files.readAllBytes(target));
        assertEquals(List.of("a.bin"), listing());
    }

    @Test
    void replacesExistingFile() throws IOException {
        Path target = dir.resolve("a.txt");
        Files.writeString(target, "old content that is longer");
        AtomicFiles.write(target, out -> out.write("new".getBytes(StandardCharsets.UTF_8)));
        assertEquals("new", Files.readString(target));
        assertEquals(List.of("a.txt"), listing());
    }

    @Test
    void largeWriteThroughTheBuffer() throws IOException {
        Path target = dir.resolve("big.bin");
        byte[] data = new byte[1_000_003];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i * 31);
        }
        AtomicFiles.write(target, out -> {
            for (int i = 0; i < data.length; i += 777) {
                out.write(data, i, Math.min(777, data.length - i));
            }
        });
        assertArrayEquals(data, Files.readAllBytes(target));
    }

    @Test
    void bodyMayCloseTheStream() throws IOException {
        Path target = dir.resolve("c.txt");
        AtomicFiles.write(target, out -> {
            out.write('x');
            out.close();
        });
        assertEquals("x", Files.readString(target));
        assertEquals(List.of("c.txt"), listing());
    }

    private Path oldTarget() throws IOException {
        Path target = dir.resolve("keep.txt");
        Files.writeString(target, "old");
        return target;
    }

    /** The failed write left the old content and no temporary file. */
    private void assertOldTargetAlone(Path target) throws IOException {
        assertEquals("old", Files.readString(target));
        assertEquals(List.of("keep.txt"), listing());
    }

    @Test
    void ioExceptionKeepsOldTargetAndRemovesTemp() throws IOException {
        Path target = oldTarget();
        MobileNetException e = assertThrows(MobileNetException.class, () -> AtomicFiles.write(target, out -> {
            out.write(new byte[200_000]); // more than the buffer, so the temp file really has bytes
            throw new IOException("disk full");
        }));
        assertEquals("cannot write " + target + ": disk full", e.getMessage());
        assertOldTargetAlone(target);
    }

    @Test
    void runtimeExceptionPropagatesUnchangedAndKeepsOldTarget() throws IOException {
        Path target = oldTarget();
        IllegalStateException boom = new IllegalStateException("boom");
        IllegalStateException thrown = assertThrows(IllegalStateException.class,
                () -> AtomicFiles.write(target, out -> {
                    out.write(1);
                    throw boom;
                }));
        assertSame(boom, thrown);
        assertOldTargetAlone(target);
    }

    @Test
    void failureWithoutOldTargetLeavesNothing() throws IOException {
        Path target = dir.resolve("new.txt");
        assertThrows(MobileNetException.class, () -> AtomicFiles.write(target, out -> {
            throw new MobileNetException("bad");
        }));
        assertFalse(Files.exists(target));
        assertEquals(List.of(), listing());
    }

    @Test
    void missingDirectory() {
        Path target = dir.resolve("nope").resolve("x.npy");
        MobileNetException e = assertThrows(MobileNetException.class,
                () -> AtomicFiles.write(target, out -> out.write(1)));
        assertEquals("cannot write " + target + ": directory " + dir.resolve("nope") + " does not exist",
                e.getMessage());
    }

    @Test
    void parentIsAFile() throws IOException {
        Path file = dir.resolve("f");
        Files.writeString(file, "");
        MobileNetException e = assertThrows(MobileNetException.class,
                () -> AtomicFiles.write(file.resolve("x"), out -> out.write(1)));
        assertTrue(e.getMessage().contains("is not a directory"), e.getMessage());
    }

    @Test
    void targetIsADirectory() {
        MobileNetException e = assertThrows(MobileNetException.class,
                () -> AtomicFiles.write(dir, out -> out.write(1)));
        assertTrue(e.getMessage().endsWith("is a directory"), e.getMessage());
    }
}

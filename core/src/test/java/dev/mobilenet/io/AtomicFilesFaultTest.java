package dev.mobilenet.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mobilenet.MobileNetException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** AtomicFiles under faults: a set that fails midway, what dead writers left, writers racing on one target. */
class AtomicFilesFaultTest {
    @TempDir
    Path dir;

    List<String> names() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    /** The disk fills while the second file of a set is written: neither target changes, no temporary stays. */
    @Test
    void setFailingMidwayLeavesEveryTargetAsItWas() throws IOException {
        Path a = dir.resolve("a.npy");
        Path b = dir.resolve("b.txt");
        Files.writeString(a, "old a");
        Files.writeString(b, "old b");
        Map<Path, AtomicFiles.IoWriter> set = new LinkedHashMap<>();
        set.put(a, o -> o.write("new a".getBytes(StandardCharsets.UTF_8)));
        set.put(b, o -> {
            o.write("new".getBytes(StandardCharsets.UTF_8));
            throw new IOException("No space left on device");
        });
        MobileNetException e = assertThrows(MobileNetException.class, () -> AtomicFiles.writeAll(set));
        assertEquals("cannot write " + b + ": No space left on device", e.getMessage());
        assertEquals("old a", Files.readString(a));
        assertEquals("old b", Files.readString(b));
        assertEquals(List.of("a.npy", "b.txt"), names());
    }

    @Test
    void oneTargetTwiceInASetIsRefused() {
        Map<Path, AtomicFiles.IoWriter> set = new LinkedHashMap<>();
        set.put(dir.resolve("x"), o -> o.write(1));
        set.put(dir.resolve("./x"), o -> o.write(2));
        assertThrows(MobileNetException.class, () -> AtomicFiles.writeAll(set));
        assertFalse(Files.exists(dir.resolve("x")));
    }

    /** What kill -9 left (a temporary of a dead process) goes; a live writer's temporary stays. */
    @Test
    void deadWritersTemporariesAreSweptLiveOnesKept() throws Exception {
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        Path dead = dir.resolve(".out.bin.tmp-" + gone.pid() + "-ab");
        Path live = dir.resolve(".out.bin.tmp-" + ProcessHandle.current().pid() + "-cd");
        Path other = dir.resolve(".other.bin.tmp-" + gone.pid() + "-ef");
        for (Path p : List.of(dead, live, other)) {
            Files.write(p, new byte[10]);
        }
        AtomicFiles.write(dir.resolve("out.bin"), o -> o.write(7));
        assertFalse(Files.exists(dead));
        assertTrue(Files.exists(live), "a running process's temporary");
        assertTrue(Files.exists(other), "another target's temporary");
        assertArrayEquals(new byte[] {7}, Files.readAllBytes(dir.resolve("out.bin")));
    }

    /** Eight writers race on one file: it always holds one writer's whole content, and no temporary remains. */
    @Test
    void concurrentWritersLeaveOneWholeFile() throws Exception {
        Path target = dir.resolve("shared.bin");
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> fs = new ArrayList<>();
            for (int w = 0; w < 8; w++) {
                byte fill = (byte) w;
                fs.add(pool.submit(() -> {
                    for (int round = 0; round < 20; round++) {
                        AtomicFiles.write(target, o -> {
                            byte[] chunk = new byte[4096];
                            java.util.Arrays.fill(chunk, fill);
                            for (int i = 0; i < 64; i++) {
                                o.write(chunk);
                            }
                        });
                        byte[] now = readWhole(target);
                        assertEquals(64 * 4096, now.length);
                        for (byte v : now) {
                            assertEquals(now[0], v, "one writer's bytes only");
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : fs) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(List.of("shared.bin"), names());
    }

    private static byte[] readWhole(Path p) {
        try {
            return Files.readAllBytes(p);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}

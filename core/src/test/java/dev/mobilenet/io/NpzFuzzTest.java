package dev.mobilenet.io;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.mobilenet.testing.Hostile;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** .npz from hostile bytes: the zip directory, member names and sizes, stored and deflated members. */
class NpzFuzzTest {
    private static Path file;

    @BeforeAll
    static void createFile() throws Exception {
        file = Files.createTempFile("fuzz", ".npz");
    }

    @AfterAll
    static void deleteFile() throws Exception {
        Files.deleteIfExists(file);
    }

    @FuzzTest
    void fuzz(byte[] data) throws Exception {
        Files.write(file, data);
        // A member may declare up to 64 MB here; the fuzzing JVM's -Xmx1g must hold whatever that admits.
        Hostile.parse(() -> Npz.read(file, 64L << 20));
    }
}

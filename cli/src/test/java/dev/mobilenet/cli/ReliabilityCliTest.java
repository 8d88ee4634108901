package dev.mobilenet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mobilenet.io.Npy;
import dev.mobilenet.tensor.Tensor;
import java.io.ByteArrayOutputStream;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/** Issue 11 at the command line: output that cannot be written, absurd counts, what a killed run leaves. */
class ReliabilityCliTest {
    @TempDir
    Path dir;

    /** Defect 9: standard output on a full disk (the real /dev/full) is an error, not a silent exit 0. */
    @ParameterizedTest
    @ValueSource(strings = {"list", "info mobilenetv3_small_050", "--version", "--help", "list --help"})
    void writeErrorOnStandardOutputFailsTheRun(String command) throws Exception {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code;
        try (PrintStream full = new PrintStream(new FileOutputStream("/dev/full"), true, StandardCharsets.UTF_8)) {
            code = Main.run(command.split(" "), full, new PrintStream(err, true, StandardCharsets.UTF_8));
        }
        String e = err.toString(StandardCharsets.UTF_8);
        assertEquals(1, code, e);
        assertEquals(1, e.lines().count(), e);
        assertTrue(e.contains("cannot write to standard output"), e);
    }

    /** Defect 8: a class count that cannot be built is a message, not NegativeArraySizeException. */
    @Test
    void absurdClassCountsAreRefused() {
        Npy.write(dir.resolve("x.npy"), new Tensor(new int[] {1, 3, 32, 32}, new float[3 * 32 * 32]));
        CliTest.assertCleanError(CliTest.run("info", "mobilenetv3_small_100", "--num-classes", "2147483647"),
                "number of classes must be between 0 and 100000, got 2147483647");
        CliTest.assertCleanError(CliTest.run("forward", "--model", "mobilenetv3_small_050", "--num-classes", "3000000",
                "--input", dir.resolve("x.npy").toString(), "--output", dir.resolve("y.npy").toString()),
                "number of classes must be between 0 and 100000, got 3000000");
    }

    /** Defect 13: the folder gets the umask's permissions, and a killed run's temporary folder is removed. */
    @Test
    void synthDataFolderIsNotPrivateAndKilledRunsLeaveNothing() throws Exception {
        Path out = dir.resolve("shapes");
        // What kill -9 left: a temporary folder of a process that is gone.
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        Path stale = dir.resolve(".shapes.tmp-" + gone.pid() + "-1f");
        Files.createDirectories(stale.resolve("train/circle"));
        Files.write(stale.resolve("train/circle/x.png"), new byte[1000]);

        CliTest.Result r = CliTest.run("synth-data", "--output", out.toString(), "--classes", "2", "--per-class", "2",
                "--size", "16");
        assertEquals(0, r.code(), r.err());
        assertFalse(Files.exists(stale), "stale temporary folder removed");
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(1, s.count(), "only the output folder");
        }
        Set<PosixFilePermission> perms = Files.getPosixFilePermissions(out);
        Path plain = Files.createDirectory(dir.resolve("plain"));
        assertEquals(Files.getPosixFilePermissions(plain), perms, "same as any folder made under this umask");
        assertTrue(perms.contains(PosixFilePermission.OTHERS_READ) || !Files.getPosixFilePermissions(plain)
                .contains(PosixFilePermission.OTHERS_READ));
    }
}

package dev.mobilenet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mobilenet.data.ImageFolder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SynthDataCommandTest {
    @TempDir
    Path dir;

    @Test
    void writesAnImageFolderWithTrainAndVal() {
        Path out = dir.resolve("shapes");
        CliTest.Result r = CliTest.run("synth-data", "--output", out.toString(), "--classes", "3", "--per-class", "5",
                "--size", "32", "--seed", "4", "--val-fraction", "0.2");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith("wrote 12 train and 3 val images of 3 classes to "), r.out());
        ImageFolder.Split s = ImageFolder.split(out, 0.1, 0);
        assertTrue(s.fromFolders());
        assertEquals(12, s.train().size());
        assertEquals(3, s.val().size());
    }

    @Test
    void errorsAreOneLine() throws Exception {
        CliTest.assertCleanError(CliTest.run("synth-data", "--output", dir.resolve("x").toString(), "--classes", "12"),
                "classes must be in 2..10, got 12");
        Files.writeString(dir.resolve("f"), "x");
        CliTest.assertCleanError(CliTest.run("synth-data", "--output", dir.resolve("f").toString()),
                "already exists and is not an empty folder");
    }
}

package dev.mobilenet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mobilenet.io.Npy;
import dev.mobilenet.tensor.Tensor;
import dev.mobilenet.arch.ModelSpec;
import dev.mobilenet.model.MobileNet;
import dev.mobilenet.model.Weights;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
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

    private Path smallWeights() {
        Path w = dir.resolve("w.safetensors");
        Weights.save(MobileNet.create(ModelSpec.parse("mobilenetv3_small_050"), 3, 1L), w);
        return w;
    }

    private Path image(String name) throws Exception {
        Path p = dir.resolve(name);
        ImageIO.write(new BufferedImage(40, 30, BufferedImage.TYPE_INT_RGB), "png", p.toFile());
        return p;
    }

    /** Defect 4: embed's .npy and .txt are one set; colliding outputs and unlistable names are refused. */
    @Test
    void embedOutputsAreWrittenTogether() throws Exception {
        Path w = smallWeights();
        Path good = image("good.png");
        Path out = dir.resolve("emb.npy");
        CliTest.assertCleanError(CliTest.run("embed", "--model", "mobilenetv3_small_050", "--weights", w.toString(),
                good.toString(), "--output", out.toString(), "--files-output", out.toString()),
                "is the same file as --output");
        CliTest.assertCleanError(CliTest.run("embed", "--model", "mobilenetv3_small_050", "--weights", w.toString(),
                good.toString(), "--output", out.toString(), "--files-output",
                dir.resolve("missing/files.txt").toString()), "does not exist");
        assertFalse(Files.exists(out), "no .npy without its .txt");

        Path odd = image("two\nlines.png");
        CliTest.Result r = CliTest.run("embed", "--model", "mobilenetv3_small_050", "--weights", w.toString(),
                good.toString(), odd.toString(), "--output", out.toString());
        assertEquals(1, r.code(), r.err());
        assertTrue(r.err().contains("two\\x0alines.png: a file name with a line break"), r.err());
        assertEquals(1, Npy.read(out).shape()[0]);
        assertEquals(List.of(good.toString()), Files.readAllLines(dir.resolve("emb.txt")));
    }

    /** Defect 7: thread counts are bounded before anything is allocated. */
    @Test
    void absurdThreadCountsAreRefused() throws Exception {
        assertPredictRefused("--threads must be between 1 and 256", "--threads", "10000");
        CliTest.assertCleanError(CliTest.run("bench", "--model", "mobilenetv3_small_050", "--threads", "10000"),
                "10000");
        Npy.write(dir.resolve("x.npy"), new Tensor(new int[] {1, 3, 32, 32}, new float[3 * 32 * 32]));
        CliTest.assertCleanError(CliTest.run("forward", "--model", "mobilenetv3_small_050", "--engine", "onnxruntime",
                "--threads", "100000", "--input", dir.resolve("x.npy").toString(), "--output",
                dir.resolve("y.npy").toString()), "100000");
    }

    /** {@code --max-pixels} is declared and checked once for every command that decodes images. */
    @Test
    void nonPositiveMaxPixelsIsRefused() throws Exception {
        assertPredictRefused("--max-pixels must be positive, got 0", "--max-pixels", "0");
        CliTest.assertCleanError(CliTest.run("preprocess", image("good.png").toString(), "--output",
                dir.resolve("x.npy").toString(), "--max-pixels", "-5"), "--max-pixels must be positive, got -5");
    }

    /** predict of a good image with the small weights and {@code options} fails with one line holding {@code error}. */
    private void assertPredictRefused(String error, String... options) throws Exception {
        List<String> args = new ArrayList<>(List.of("predict", "--model", "mobilenetv3_small_050", "--weights",
                smallWeights().toString(), image("good.png").toString()));
        args.addAll(List.of(options));
        CliTest.assertCleanError(CliTest.run(args.toArray(String[]::new)), error);
    }

    /** Defect 14: control characters in file names are escaped in output; labels files with them are refused. */
    @Test
    void controlCharactersNeverReachTheTerminal() throws Exception {
        Path w = smallWeights();
        Path odd = image("evil\u001b[31m\nfake 1.0000.png");
        CliTest.Result r = CliTest.run("predict", "--model", "mobilenetv3_small_050", "--weights", w.toString(),
                "--top", "1", odd.toString());
        assertEquals(0, r.code(), r.err());
        assertFalse(r.out().contains("\u001b"), r.out());
        assertTrue(r.out().contains("evil\\x1b[31m\\x0afake 1.0000.png"), r.out());
        assertEquals(2, r.out().lines().count(), r.out());

        Path labels = dir.resolve("labels.txt");
        Files.writeString(labels, "a\nb\u001b[2J\nc\n");
        CliTest.assertCleanError(CliTest.run("predict", "--model", "mobilenetv3_small_050", "--weights", w.toString(),
                "--labels", labels.toString(), odd.toString()), "line 2 has control character U+001B");
        Files.write(labels, new byte[] {(byte) 0xff, (byte) 0xfe, 0, 1});
        CliTest.assertCleanError(CliTest.run("predict", "--model", "mobilenetv3_small_050", "--weights", w.toString(),
                "--labels", labels.toString(), odd.toString()), "not a labels file (not UTF-8 text)");
    }

    /** Defect 6: a folder given as a symlink is walked; a link loop is reported and skipped, the rest still runs. */
    @Test
    void foldersThroughSymlinksAndLoops() throws Exception {
        Path w = smallWeights();
        Path real = Files.createDirectories(dir.resolve("real/sub"));
        ImageIO.write(new BufferedImage(40, 30, BufferedImage.TYPE_INT_RGB), "png", real.resolve("a.png").toFile());
        Path link = Files.createSymbolicLink(dir.resolve("link"), dir.resolve("real"));
        CliTest.Result r = CliTest.run("predict", "--model", "mobilenetv3_small_050", "--weights", w.toString(),
                "--top", "1", link.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith(link.resolve("sub/a.png").toString()), r.out());

        Files.createSymbolicLink(real.resolve("loop"), dir.resolve("real"));
        CliTest.Result looped = CliTest.run("predict", "--model", "mobilenetv3_small_050", "--weights", w.toString(),
                "--top", "1", link.toString());
        assertEquals(1, looped.code(), looped.err());
        assertTrue(looped.err().contains("loop: cannot be read (a symlink loop); skipped"), looped.err());
        assertFalse(looped.err().contains("Exception"), looped.err());
        assertTrue(looped.out().startsWith(link.resolve("sub/a.png").toString()), looped.out());
    }

    /** Defect 16: usage mistakes exit 2 alike, a 0-d input names its shape, eval never takes train/ as a class. */
    @Test
    void cosmeticsOfErrors() throws Exception {
        CliTest.Result zero = CliTest.run("info", "mobilenetv3_small_050", "--input-size", "0");
        CliTest.Result abc = CliTest.run("info", "mobilenetv3_small_050", "--input-size", "abc");
        assertEquals(2, zero.code(), zero.err());
        assertEquals(2, abc.code(), abc.err());
        assertTrue(zero.err().contains("must be at least 32x32"), zero.err());

        Npy.write(dir.resolve("s.npy"), new Tensor(new int[0], new float[] {1f}));
        CliTest.assertCleanError(CliTest.run("forward", "--model", "mobilenetv3_small_050", "--input",
                dir.resolve("s.npy").toString(), "--output", dir.resolve("y.npy").toString()),
                "got shape () (a 0-d scalar)");

        Path data = dir.resolve("onlytrain");
        Files.createDirectories(data.resolve("train/cat"));
        ImageIO.write(new BufferedImage(40, 30, BufferedImage.TYPE_INT_RGB), "png",
                data.resolve("train/cat/a.png").toFile());
        CliTest.assertCleanError(CliTest.run("eval", "--model", "mobilenetv3_small_050", "--weights",
                smallWeights().toString(), "--data", data.toString()), "has train/ but no val/");
    }

    /** Defect 15: a FIFO given as weights or as the input is refused at once (it blocked for ever). */
    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void fifosAreRefusedNotWaitedOn() throws Exception {
        Path fifo = dir.resolve("pipe");
        assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start().waitFor());
        Npy.write(dir.resolve("x.npy"), new Tensor(new int[] {1, 3, 32, 32}, new float[3 * 32 * 32]));
        CliTest.assertCleanError(CliTest.run("forward", "--model", "mobilenetv3_small_050", "--weights",
                fifo.toString(), "--input", dir.resolve("x.npy").toString(), "--output",
                dir.resolve("y.npy").toString()), "not a regular file (a FIFO)");
        CliTest.assertCleanError(CliTest.run("forward", "--model", "mobilenetv3_small_050", "--input",
                fifo.toString(), "--output", dir.resolve("y.npy").toString()), "not a regular file (a FIFO)");
    }
}

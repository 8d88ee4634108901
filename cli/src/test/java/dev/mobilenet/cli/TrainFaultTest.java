package dev.mobilenet.cli;

import static dev.mobilenet.cli.CliTest.assertCleanError;
import static dev.mobilenet.cli.CliTest.run;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fault suite of issue 11 for {@code train}: after a full disk, kill -9 at every rename of a checkpoint, or a
 * run into an earlier run's folder, the output folder holds one whole checkpoint (old or new, never a mix), and
 * {@code --resume} either continues bit-identically to an uninterrupted run or refuses by name.
 */
class TrainFaultTest {
    @TempDir
    Path dir;

    Path data;

    @BeforeEach
    void data() {
        data = dir.resolve("sd");
        assertEquals(0, run("synth-data", "--output", data.toString(), "--classes", "3", "--per-class", "8", "--size",
                "40", "--val-fraction", "0.25").code());
    }

    List<String> train(Path out, int epochs, String... extra) {
        List<String> a = new ArrayList<>(List.of("train", "--model", "mobilenetv3_small_050", "--data",
                data.toString(), "--input-size", "32", "-b", "4", "--epochs", Integer.toString(epochs), "--workers",
                "1", "--threads", "1", "--output", out.toString()));
        List<String> more = List.of(extra);
        if (!more.contains("--opt")) {
            a.addAll(List.of("--opt", "adamw"));
        }
        if (!more.contains("--lr")) {
            a.addAll(List.of("--lr", "1e-3"));
        }
        a.addAll(more);
        return a;
    }

    static CliTest.Result cli(List<String> args) {
        return run(args.toArray(String[]::new));
    }

    /** Every file of a folder (name → bytes), temporaries included. */
    static Map<String, byte[]> snapshot(Path d) throws IOException {
        Map<String, byte[]> m = new TreeMap<>();
        try (Stream<Path> s = Files.list(d)) {
            for (Path p : s.toList()) {
                m.put(p.getFileName().toString(), Files.readAllBytes(p));
            }
        }
        return m;
    }

    /** Defect 1: a negative warmup learning rate is refused (it used to train into NaN and report 100%). */
    @Test
    void negativeOrNonFiniteRatesAndBadScheduleOptionsAreRefused() {
        Path out = dir.resolve("neg");
        String[][] bad = {
            {"--warmup-epochs", "5", "--warmup-lr", "-1"}, {"--lr", "NaN"}, {"--lr", "-0.1"},
            {"--sched", "step", "--decay-epochs", "0"}, {"--sched", "step", "--decay-epochs", "-3"},
            {"--sched", "step", "--decay-rate", "NaN"}, {"--clip-mode", "foo"}, {"--mixup", "-1"},
            {"--cutmix", "NaN"}, {"--warmup-epochs", "-2"}, {"--min-lr", "-1"},
        };
        String[] expected = {
            "warmup learning rate must be finite and >= 0, got -1.0", "lr, weight decay, momentum and eps must be",
            "lr, weight decay, momentum and eps must be", "--decay-epochs > 0, got 0.0", "--decay-epochs > 0, got -3.0",
            "--decay-rate > 0, got NaN", "unknown clip mode 'foo'", "--mixup and --cutmix must be finite and >= 0",
            "--mixup and --cutmix must be finite and >= 0", "warmup epochs must be >= 0, got -2",
            "minimum learning rate must be finite and >= 0, got -1.0",
        };
        for (int i = 0; i < bad.length; i++) {
            assertCleanError(cli(train(out, 1, bad[i])), expected[i]);
        }
        assertFalse(Files.exists(out), "nothing written for a refused run");
    }

    /** Defect 3: an earlier run's folder is refused without --resume/--overwrite, and a failing run writes nothing. */
    @Test
    void earlierRunFolderIsNeverDamaged() throws IOException {
        Path out = dir.resolve("run");
        assertEquals(0, cli(train(out, 1)).code());
        Map<String, byte[]> before = snapshot(out);

        assertCleanError(cli(train(out, 1)), "is not empty (an earlier run?); give --resume to continue it or"
                + " --overwrite to replace it");
        assertCleanError(cli(train(out, 1, "--overwrite", "--smoothing", "1.5")), "smoothing");
        assertCleanError(cli(train(out, 2, "--resume", "--opt", "sgd")),
                "with --opt sgd: the run was trained with adamw");
        assertCleanError(cli(train(out, 1, "--resume", "--overwrite")), "give --resume or --overwrite, not both");
        Map<String, byte[]> after = snapshot(out);
        assertEquals(before.keySet(), after.keySet());
        before.forEach((k, v) -> assertArrayEquals(v, after.get(k), k));

        assertEquals(0, cli(train(out, 1, "--overwrite", "--seed", "7")).code());
        assertFalse(java.util.Arrays.equals(before.get("last.safetensors"),
                Files.readAllBytes(out.resolve("last.safetensors"))), "replaced by the new run");
    }

    /** Defect 2: a checkpoint set mixed from two epochs is refused by name. */
    @Test
    void resumeRefusesAMixedCheckpointSet() throws IOException {
        Path out = dir.resolve("mixed");
        assertEquals(0, cli(train(out, 1)).code());
        byte[] epoch0 = Files.readAllBytes(out.resolve("last.safetensors"));
        assertEquals(0, cli(train(out, 2, "--resume")).code());
        Files.write(out.resolve("last.safetensors"), epoch0);
        assertCleanError(cli(train(out, 3, "--resume")), out.resolve("last.safetensors")
                + " does not belong to the checkpoint of epoch 1");
    }

    /**
     * kill -9 (the JVM halted) just before each rename of epoch 1's checkpoint: afterwards the folder holds no
     * temporaries once resumed, and --resume either finishes bit-identical to an uninterrupted run or refuses by name.
     */
    @Test
    void killedAtEveryCheckpointRenameThenResumed() throws Exception {
        Path clean = dir.resolve("clean");
        assertEquals(0, cli(train(clean, 2)).code());
        byte[] want = Files.readAllBytes(clean.resolve("last.safetensors"));
        // Epoch 0 renames best, last, optimizer, labels, metrics, state and curves.png (7); epoch 1 renames best (if
        // better), last, optimizer, metrics, state and curves.png: halt before the first, second, middle and last.
        int resumed = 0;
        int refused = 0;
        for (int k : new int[] {8, 9, 10, 12}) {
            Path out = dir.resolve("killed" + k);
            Process p = new ProcessBuilder(javaCommand(k, train(out, 2))).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("killed" + k + ".log").toFile()).start();
            int code = p.waitFor();
            if (code == 0) {
                continue;
            }
            assertEquals(137, code, Files.readString(dir.resolve("killed" + k + ".log")));
            CliTest.Result r = cli(train(out, 2, "--resume"));
            if (r.err().contains("already finished 2 epochs")) {
                resumed++;
                assertArrayEquals(want, Files.readAllBytes(out.resolve("last.safetensors")), "halted at rename " + k);
            } else if (r.code() == 0) {
                resumed++;
                assertArrayEquals(want, Files.readAllBytes(out.resolve("last.safetensors")), "halted at rename " + k);
            } else {
                refused++;
                assertEquals(1, r.err().lines().count(), r.err());
                assertTrue(r.err().contains("does not belong to the checkpoint"), r.err());
            }
        }
        assertTrue(resumed >= 2, "halts before the first and after the last rename of a set resume: " + resumed);
        assertEquals(4, resumed + refused, resumed + " + " + refused);
    }

    /** A full disk while epoch 1 is saved: epoch 0's checkpoint stays whole, and resuming elsewhere is exact. */
    @Test
    void diskFullKeepsThePreviousCheckpointWhole() throws Exception {
        Path clean = dir.resolve("clean");
        assertEquals(0, cli(train(clean, 2)).code());
        Path one = dir.resolve("one");
        assertEquals(0, cli(train(one, 1)).code());
        long used = 0;
        for (byte[] b : snapshot(one).values()) {
            used += b.length;
        }
        Path mnt = Files.createDirectory(dir.resolve("tmpfs"));
        long kb = used / 1024 + 64;
        boolean mounted = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=" + kb + "k", "tmpfs", mnt.toString())
                .redirectErrorStream(true).start().waitFor() == 0;
        Assumptions.assumeTrue(mounted, "needs a mountable tmpfs (root); the simulated writer tests cover the rest");
        try {
            Path out = mnt.resolve("run");
            CliTest.Result r = cli(train(out, 2));
            assertEquals(1, r.code(), r.err());
            List<String> lines = r.err().lines().toList();
            assertTrue(lines.get(lines.size() - 1).startsWith("mobilenet: cannot write "), r.err());
            assertTrue(lines.get(lines.size() - 1).contains("No space left on device"), r.err());
            assertFalse(r.err().contains("\tat "), r.err());
            Map<String, byte[]> left = snapshot(out);
            Map<String, byte[]> epoch0 = snapshot(one);
            assertEquals(epoch0.keySet(), left.keySet(), "epoch 0's files only, no temporaries");
            Path copy = Files.createDirectory(dir.resolve("copy"));
            for (Map.Entry<String, byte[]> e : left.entrySet()) {
                Files.write(copy.resolve(e.getKey()), e.getValue());
            }
            assertEquals(0, cli(train(copy, 2, "--resume")).code());
            assertArrayEquals(Files.readAllBytes(clean.resolve("last.safetensors")),
                    Files.readAllBytes(copy.resolve("last.safetensors")));
        } finally {
            new ProcessBuilder("umount", mnt.toString()).start().waitFor();
        }
    }

    private static List<String> javaCommand(int haltAt, List<String> args) {
        List<String> c = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules", "jdk.incubator.vector", "-Dmobilenet.faults.haltAtRename=" + haltAt, "-cp",
                System.getProperty("java.class.path") + File.pathSeparator, Main.class.getName()));
        c.addAll(args);
        return c;
    }
}

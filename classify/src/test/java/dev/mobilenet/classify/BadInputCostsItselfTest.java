package dev.mobilenet.classify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mobilenet.image.ImageDecoder;
import dev.mobilenet.model.MobileNet;
import dev.mobilenet.model.Session;
import dev.mobilenet.preprocess.PreprocessConfig;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Issue 11, defect 5: one bad input among many costs only itself when a batch of files is classified. */
class BadInputCostsItselfTest {
    @TempDir
    Path dir;

    private static Path fixture() {
        return Path.of("../image/src/test/resources/images/png_rgb_37x23.png");
    }

    /**
     * Four JPEG-signed inputs over the read budget (together far over the heap: read at once, they exhausted it and
     * aborted the whole run), a FIFO and /dev/zero beside one good image: each fails alone, the image is classified.
     */
    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void oneBadInputCostsOnlyItself() throws Exception {
        long size = Runtime.getRuntime().maxMemory() / 4 + (1 << 20);
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            files.add(sparse("big" + i + ".jpg", new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xE0}, size));
        }
        Path fifo = dir.resolve("pipe.png");
        assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start().waitFor());
        files.add(fifo);
        files.add(Path.of("/dev/zero"));
        files.add(fixture());
        MobileNet net = MobileNet.create("mobilenetv3_small_050");
        List<ImageClassifier.Outcome> out = new ArrayList<>();
        try (Session s = net.compile().newSession(1);
             ImageClassifier c = new ImageClassifier(s, PreprocessConfig.timmDefaults().withInputSize(32, 32),
                     new ImageDecoder(), List.of(), 8, 4)) {
            c.classify(files, 1, out::add);
        }
        assertEquals(files.size(), out.size());
        for (int i = 0; i < files.size() - 1; i++) {
            ImageClassifier.Failure f = assertInstanceOf(ImageClassifier.Failure.class, out.get(i), files.get(i)
                    .toString());
            assertTrue(f.message().startsWith(files.get(i).toString()), f.message());
        }
        assertInstanceOf(ImageClassifier.Prediction.class, out.get(files.size() - 1));
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

package dev.mobilenet.classify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mobilenet.image.ImageDecoder;
import dev.mobilenet.preprocess.PreprocessConfig;
import dev.mobilenet.model.MobileNet;
import dev.mobilenet.model.Session;
import java.awt.image.BufferedImage;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11, defects 5 and 15 through the classifier predict and embed use: four JPEG-signed inputs over the read
 * budget (read at once they exhausted the heap and aborted the whole run), a FIFO (it blocked the run for ever; the
 * timeout only guards the build) and /dev/zero beside one good image: each bad input fails alone, the image is
 * classified.
 */
class BadInputCostsOnlyItselfTest {
    @TempDir
    Path dir;

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void oneBadInputCostsOnlyItself() throws Exception {
        long size = Runtime.getRuntime().maxMemory() / 4 + (1 << 20);
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Path p = dir.resolve("big" + i + ".jpg");
            try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "rw")) {
                f.write(new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xE0});
                f.setLength(size);
            }
            files.add(p);
        }
        Path fifo = dir.resolve("pipe.png");
        assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start().waitFor());
        files.add(fifo);
        files.add(Path.of("/dev/zero"));
        Path good = dir.resolve("good.png");
        ImageIO.write(new BufferedImage(37, 23, BufferedImage.TYPE_INT_RGB), "png", good.toFile());
        files.add(good);

        MobileNet net = MobileNet.create("mobilenetv3_small_050");
        List<ImageClassifier.Outcome> out = new ArrayList<>();
        try (Session s = net.compile().newSession(1);
             ImageClassifier c = new ImageClassifier(s, PreprocessConfig.timmDefaults().withInputSize(32, 32),
                     new ImageDecoder(), List.of(), 8, 4)) {
            c.classify(files, 1, out::add);
        }
        assertEquals(files.size(), out.size());
        for (int i = 0; i < files.size() - 1; i++) {
            ImageClassifier.Failure f = assertInstanceOf(ImageClassifier.Failure.class, out.get(i),
                    files.get(i).toString());
            assertTrue(f.message().startsWith(files.get(i).toString()), f.message());
        }
        assertInstanceOf(ImageClassifier.Prediction.class, out.get(files.size() - 1));
        assertTrue(Files.exists(good));
    }
}

package dev.mobilenet.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mobilenet.MobileNetException;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageFolderTest {
    @TempDir
    Path dir;

    static void png(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        ImageIO.write(new BufferedImage(4, 3, BufferedImage.TYPE_INT_RGB), "png", file.toFile());
    }

    @Test
    void classesSortedFilesInWalkOrderByExtension() throws IOException {
        png(dir.resolve("zebra/b.png"));
        png(dir.resolve("zebra/a.PNG"));
        png(dir.resolve("zebra/sub/c.png"));
        Files.writeString(dir.resolve("zebra/notes.txt"), "x");
        png(dir.resolve("Ant/x.jpeg.png"));
        png(dir.resolve("cat/1.png"));
        Files.writeString(dir.resolve("stray.png"), "not a class");
        ImageFolder f = ImageFolder.scan(dir);
        assertEquals(List.of("Ant", "cat", "zebra"), f.classes());
        assertEquals(List.of(dir.resolve("Ant/x.jpeg.png"), dir.resolve("cat/1.png"), dir.resolve("zebra/a.PNG"),
                dir.resolve("zebra/b.png"), dir.resolve("zebra/sub/c.png")), f.files());
        assertArrayEquals(new int[] {0, 1, 2, 2, 2}, f.labels());
    }

    @Test
    void trainAndValFolders() throws IOException {
        png(dir.resolve("train/a/1.png"));
        png(dir.resolve("train/b/1.png"));
        png(dir.resolve("validation/a/2.png"));
        png(dir.resolve("validation/b/2.png"));
        ImageFolder.Split s = ImageFolder.split(dir, 0.1, 0);
        assertTrue(s.fromFolders());
        assertEquals(2, s.train().size());
        assertEquals(dir.resolve("validation/b/2.png"), s.val().files().get(1));
        assertEquals(s.val(), ImageFolder.forEval(dir));
        png(dir.resolve("validation/c/2.png"));
        MobileNetException e = assertThrows(MobileNetException.class, () -> ImageFolder.split(dir, 0.1, 0));
        assertTrue(e.getMessage().contains("different classes (2: a, b vs 3: a, b, c)"), e.getMessage());
    }

    @Test
    void seededStratifiedSplitIsDeterministic() throws IOException {
        for (String c : new String[] {"a", "b", "c"}) {
            for (int i = 0; i < 20; i++) {
                png(dir.resolve(c + "/" + i + ".png"));
            }
        }
        png(dir.resolve("d/only.png"));
        ImageFolder.Split s1 = ImageFolder.split(dir, 0.25, 7);
        ImageFolder.Split s2 = ImageFolder.split(dir, 0.25, 7);
        ImageFolder.Split s3 = ImageFolder.split(dir, 0.25, 8);
        assertFalse(s1.fromFolders());
        assertEquals(s1, s2);
        assertNotEquals(s1.val().files(), s3.val().files());
        assertEquals(15, s1.val().size());
        assertEquals(46, s1.train().size());
        int[] perClass = new int[4];
        for (int l : s1.val().labels()) {
            perClass[l]++;
        }
        assertArrayEquals(new int[] {5, 5, 5, 0}, perClass, "stratified; a class of one stays in train");
        for (Path p : s1.val().files()) {
            assertFalse(s1.train().files().contains(p));
        }
        assertEquals(s1.train().classes(), s1.val().classes());
    }

    @Test
    void errorsAreOneLineNamingTheProblem() throws IOException {
        assertMessage(dir.resolve("missing"), "missing: no such folder");
        assertMessage(dir, "no class folders");
        Files.createDirectories(dir.resolve("a"));
        png(dir.resolve("b/1.png"));
        assertMessage(dir, "class 'a' has no image files");
        Files.writeString(dir.resolve("a/readme.md"), "x");
        assertMessage(dir, "class 'a' has no image files");
        png(dir.resolve("a/1.tif"));
        assertMessage(dir, "1.tif: TIF images are not supported");
        Files.writeString(dir.resolve("file.png"), "x");
        assertMessage(dir.resolve("file.png"), "not a folder");
        MobileNetException e = assertThrows(MobileNetException.class, () -> ImageFolder.split(dir.resolve("b"), 1.5, 0));
        assertTrue(e.getMessage().contains("validation fraction"), e.getMessage());
    }

    private static void assertMessage(Path p, String expected) {
        MobileNetException e = assertThrows(MobileNetException.class, () -> ImageFolder.scan(p));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
    }
}

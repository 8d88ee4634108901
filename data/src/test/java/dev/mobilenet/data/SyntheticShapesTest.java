package dev.mobilenet.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mobilenet.MobileNetException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SyntheticShapesTest {
    @TempDir
    Path dir;

    static List<Path> files(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(Files::isRegularFile).sorted().toList();
        }
    }

    @Test
    void deterministicForASeed() throws IOException {
        SyntheticShapes.Summary a = SyntheticShapes.write(dir.resolve("a"), 10, 5, 32, 11, 0.2);
        SyntheticShapes.write(dir.resolve("b"), 10, 5, 32, 11, 0.2);
        SyntheticShapes.write(dir.resolve("c"), 10, 5, 32, 12, 0.2);
        assertEquals(40, a.trainImages());
        assertEquals(10, a.valImages());
        List<Path> fa = files(dir.resolve("a"));
        List<Path> fb = files(dir.resolve("b"));
        List<Path> fc = files(dir.resolve("c"));
        assertEquals(50, fa.size());
        boolean anyDiff = false;
        for (int i = 0; i < fa.size(); i++) {
            assertEquals(dir.resolve("a").relativize(fa.get(i)), dir.resolve("b").relativize(fb.get(i)));
            assertArrayEquals(Files.readAllBytes(fa.get(i)), Files.readAllBytes(fb.get(i)), fa.get(i).toString());
            anyDiff |= !java.util.Arrays.equals(Files.readAllBytes(fa.get(i)), Files.readAllBytes(fc.get(i)));
        }
        assertTrue(anyDiff, "another seed gives other images");
        ImageFolder.Split s = ImageFolder.split(dir.resolve("a"), 0.1, 0);
        assertTrue(s.fromFolders());
        assertEquals(10, s.train().numClasses());
        try (Stream<Path> left = Files.list(dir)) {
            assertEquals(3, left.count(), "no temporary folders left");
        }
    }

    @Test
    void refusesANonEmptyFolderAndBadArguments() throws IOException {
        Files.createDirectories(dir.resolve("full"));
        Files.writeString(dir.resolve("full/x"), "x");
        MobileNetException e = assertThrows(MobileNetException.class,
                () -> SyntheticShapes.write(dir.resolve("full"), 3, 4, 32, 0, 0.1));
        assertTrue(e.getMessage().contains("already exists"), e.getMessage());
        e = assertThrows(MobileNetException.class, () -> SyntheticShapes.write(dir.resolve("x"), 11, 4, 32, 0, 0.1));
        assertTrue(e.getMessage().contains("classes must be in 2..10"), e.getMessage());
        e = assertThrows(MobileNetException.class, () -> SyntheticShapes.write(dir.resolve("x"), 3, 4, 8, 0, 0.1));
        assertTrue(e.getMessage().contains("image size"), e.getMessage());
        Files.createDirectories(dir.resolve("empty"));
        SyntheticShapes.write(dir.resolve("empty"), 2, 2, 16, 0, 0.5);
        assertEquals(4, files(dir.resolve("empty")).size());
        assertFalse(Files.exists(dir.resolve("x")));
    }
}

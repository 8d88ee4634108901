package dev.mobilenet.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mobilenet.MobileNetException;
import dev.mobilenet.preprocess.PreprocessConfig;
import dev.mobilenet.image.Preprocessor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataLoaderTest {
    @TempDir
    static Path tmp;
    static ImageFolder.Split split;
    static final PreprocessConfig MODEL = PreprocessConfig.timmDefaults().withInputSize(24, 24);

    @BeforeAll
    static void data() {
        SyntheticShapes.write(tmp.resolve("shapes"), 4, 10, 32, 3, 0.2);
        split = ImageFolder.split(tmp.resolve("shapes"), 0.1, 0);
    }

    static SampleSource trainSource() {
        TrainConfig cfg = TrainConfig.timmDefaults(MODEL).withAutoAugment("rand-m9-mstd0.5")
                .withRandomErasing(0.25, "pixel", 1);
        return SampleSource.images(split.train(), new TrainTransform(cfg));
    }

    static List<Batch> epochs(SampleSource src, LoaderOptions opts, int epochs) {
        List<Batch> out = new ArrayList<>();
        try (DataLoader loader = new DataLoader(src, opts)) {
            for (int e = 0; e < epochs; e++) {
                try (DataLoader.Epoch it = loader.epoch(e)) {
                    it.forEachRemaining(out::add);
                }
            }
        }
        return out;
    }

    @Test
    void sameBatchesForOneAndFourWorkers() {
        LoaderOptions opts = LoaderOptions.train(6, 1, 42).withMixup(Mixup.of(0.8, 1.0, 4));
        List<Batch> one = epochs(trainSource(), opts, 2);
        List<Batch> four = epochs(trainSource(), opts.withWorkers(4).withPrefetch(3), 2);
        assertEquals(2 * (32 / 6), one.size());
        assertEquals(one.size(), four.size());
        for (int i = 0; i < one.size(); i++) {
            assertArrayEquals(one.get(i).images(), four.get(i).images(), "batch " + i);
            assertArrayEquals(one.get(i).labels(), four.get(i).labels());
            assertArrayEquals(one.get(i).targets(), four.get(i).targets());
            assertEquals(6, one.get(i).n());
            assertEquals(24, one.get(i).h());
        }
        assertFalse(Arrays.equals(one.get(0).indices(), one.get(5).indices()), "each epoch has its own order");
        List<Batch> otherSeed = epochs(trainSource(), LoaderOptions.train(6, 2, 43), 1);
        assertNotEquals(Arrays.toString(one.get(0).indices()), Arrays.toString(otherSeed.get(0).indices()));
        int[] seen = new int[32];
        for (int i = 0; i < 5; i++) {
            for (int idx : one.get(i).indices()) {
                seen[idx]++;
            }
        }
        assertTrue(Arrays.stream(seen).allMatch(c -> c <= 1), "no sample twice in an epoch");
    }

    @Test
    void evalKeepsTheLastPartialBatchInOrder() {
        SampleSource src = SampleSource.images(split.val(), SampleTransform.eval(new Preprocessor(MODEL)));
        List<Batch> batches = epochs(src, LoaderOptions.eval(3, 2), 1);
        assertEquals(3, batches.size());
        assertEquals(2, batches.get(2).n());
        assertArrayEquals(new int[] {6, 7}, batches.get(2).indices());
        assertNull(batches.get(0).targets());
        float[] expected = new Preprocessor(MODEL).apply(new dev.mobilenet.image.ImageDecoder()
                .decode(split.val().files().get(7))).data();
        assertArrayEquals(expected, Arrays.copyOfRange(batches.get(2).images(), expected.length, 2 * expected.length));
        assertEquals(split.val().label(7), batches.get(2).labels()[1]);
    }

    @Test
    void npySourceBatches() {
        float[] x = new float[5 * 3 * 2 * 2];
        for (int i = 0; i < x.length; i++) {
            x[i] = i;
        }
        NpyDataset d = new NpyDataset(x, 5, 3, 2, 2, new int[] {0, 1, 2, 0, 1}, 3);
        List<Batch> b = epochs(d, LoaderOptions.eval(2, 1), 1);
        assertEquals(3, b.size());
        assertArrayEquals(Arrays.copyOfRange(x, 48, 60), b.get(2).images());
        List<Batch> shuffled = epochs(d, LoaderOptions.train(2, 3, 1), 1);
        assertEquals(2, shuffled.size());
        MobileNetException e = assertThrows(MobileNetException.class, () -> epochs(d, LoaderOptions.train(8, 1, 1), 1));
        assertTrue(e.getMessage().contains("batch size 8 is larger than the 5 samples"), e.getMessage());
        e = assertThrows(MobileNetException.class,
                () -> epochs(d, LoaderOptions.train(2, 1, 1).withMixup(Mixup.of(0.8, 0, 10)), 1));
        assertTrue(e.getMessage().contains("mixup is set for 10 classes, the data has 3"), e.getMessage());
    }

    @Test
    void unreadableFileIsReportedOnceAndReplacedInTraining() throws IOException {
        Path root = tmp.resolve("broken");
        for (int c = 0; c < 2; c++) {
            for (int i = 0; i < 4; i++) {
                Path f = root.resolve("c" + c).resolve(i + ".png");
                Files.createDirectories(f.getParent());
                Files.copy(split.train().files().get(c * 8 + i), f);
            }
        }
        Files.write(root.resolve("c0/2.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3});
        ImageFolder folder = ImageFolder.scan(root);
        List<String> reports = new CopyOnWriteArrayList<>();
        SampleSource src = SampleSource.images(folder, new TrainTransform(TrainConfig.timmDefaults(MODEL)));
        try (DataLoader loader = new DataLoader(src, LoaderOptions.train(4, 2, 0),
                (i, what, e) -> reports.add(i + " " + what))) {
            for (int e = 0; e < 3; e++) {
                int replacements = 0;
                try (DataLoader.Epoch it = loader.epoch(e)) {
                    while (it.hasNext()) {
                        Batch b = it.next();
                        for (int k = 0; k < b.n(); k++) {
                            assertNotEquals(2, b.indices()[k]);
                            assertEquals(folder.label(b.indices()[k]), b.labels()[k]);
                            replacements += b.indices()[k] == 3 ? 1 : 0;
                        }
                    }
                }
                assertEquals(2, replacements, "sample 3 also stands in for the unreadable sample 2");
            }
            assertEquals(1, loader.badSamples());
        }
        assertEquals(List.of("2 " + root.resolve("c0/2.png")), reports);
        SampleSource eval = SampleSource.images(folder, SampleTransform.eval(new Preprocessor(MODEL)));
        MobileNetException e = assertThrows(MobileNetException.class,
                () -> epochs(eval, LoaderOptions.eval(4, 2), 1));
        assertTrue(e.getMessage().contains("2.png"), e.getMessage());
    }

    @Test
    void closeStopsTheWorkerThreads() throws InterruptedException {
        DataLoader loader = new DataLoader(trainSource(), LoaderOptions.train(2, 3, 0));
        DataLoader.Epoch it = loader.epoch(0);
        it.next();
        assertTrue(dataThreads() >= 1);
        it.close();
        loader.close();
        assertEquals(0, dataThreads(), "threads left after close");
        assertThrows(IllegalStateException.class, () -> loader.epoch(1));
    }

    static long dataThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().startsWith("mobilenet-data-")).count();
    }
}

package dev.mobilenet.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mobilenet.MobileNetException;
import dev.mobilenet.arch.ModelSpec;
import dev.mobilenet.data.DataLoader;
import dev.mobilenet.data.LoaderOptions;
import dev.mobilenet.data.NpyDataset;
import dev.mobilenet.io.Npy;
import dev.mobilenet.model.Engine;
import dev.mobilenet.model.MobileNet;
import dev.mobilenet.nn.ParamRef;
import dev.mobilenet.model.Weights;
import dev.mobilenet.tensor.Tensor;
import dev.mobilenet.training.engine.OptimizerConfig;
import dev.mobilenet.training.engine.Schedule;
import dev.mobilenet.training.engine.TrainerConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Whole runs on a tiny .npy dataset: files written, resume equal to an uninterrupted run, NaN stop. */
class TrainingRunTest {
    static final int N = 24;
    static final int SIZE = 32;
    static final int CLASSES = 3;

    @TempDir
    Path dir;

    private NpyDataset data() {
        Random rng = new Random(3);
        float[] x = new float[N * 3 * SIZE * SIZE];
        long[] y = new long[N];
        for (int i = 0; i < N; i++) {
            y[i] = i % CLASSES;
            for (int j = 0; j < 3 * SIZE * SIZE; j++) {
                x[i * 3 * SIZE * SIZE + j] = (float) (rng.nextGaussian() + (j % 3 == y[i] ? 1.0 : 0.0));
            }
        }
        Path xs = dir.resolve("x.npy");
        Path ys = dir.resolve("y.npy");
        Npy.write(xs, new Tensor(new int[] {N, 3, SIZE, SIZE}, x));
        Npy.writeLong(ys, new int[] {N}, y);
        return NpyDataset.load(xs, ys, CLASSES);
    }

    private static MobileNet model() {
        return MobileNet.create(ModelSpec.parse("mobilenetv3_small_050"), CLASSES, 1L);
    }

    private static RunConfig config(int epochs, double lr, Path out, boolean resume) {
        TrainerConfig tc = TrainerConfig.of(OptimizerConfig.timm("adamw", lr, 0.01)).withSmoothing(0.1);
        return new RunConfig(epochs, tc, Schedule.Cosine.of(lr, epochs, 0, 1, 1e-4, false), 0, false, 2, out, resume);
    }

    private TrainingRun.Summary run(MobileNet m, NpyDataset d, RunConfig cfg) {
        try (DataLoader train = new DataLoader(d, LoaderOptions.train(8, 2, 7));
             DataLoader val = new DataLoader(d, LoaderOptions.eval(8, 2))) {
            return TrainingRun.run(m, List.of("a", "b", "c"), train, val, cfg, new TrainingRun.Listener() { });
        }
    }

    private static float[] flat(MobileNet m) {
        Map<String, ParamRef> sd = m.stateDict();
        int n = 0;
        for (ParamRef p : sd.values()) {
            n += p.isCounter() ? 1 : p.data().length;
        }
        float[] out = new float[n];
        int o = 0;
        for (ParamRef p : sd.values()) {
            if (p.isCounter()) {
                out[o++] = p.counter()[0];
            } else {
                System.arraycopy(p.data(), 0, out, o, p.data().length);
                o += p.data().length;
            }
        }
        return out;
    }

    @Test
    void writesCheckpointsMetricsAndCurvesAndResumesExactly() throws IOException {
        NpyDataset d = data();
        Path full = dir.resolve("full");
        MobileNet a = model();
        TrainingRun.Summary s = run(a, d, config(3, 2e-3, full, false));
        assertEquals(3, s.epochs().size());
        for (String f : new String[] {"last.safetensors", "best.safetensors", "optimizer.safetensors", "state.json",
            "labels.txt", "metrics.csv", "curves.png"}) {
            assertTrue(Files.size(full.resolve(f)) > 0, f);
        }
        assertEquals(List.of("a", "b", "c"), Files.readAllLines(full.resolve("labels.txt")));
        List<String> csv = Files.readAllLines(full.resolve("metrics.csv"));
        assertEquals(4, csv.size());
        assertEquals(Metrics.HEADER, csv.get(0));
        MobileNet back = model();
        Weights.load(back, full.resolve("last.safetensors"));
        assertArrayEquals(flat(a), flat(back), "last.safetensors is the trained model, loaded strictly");
        MobileNet best = model();
        Weights.load(best, full.resolve("best.safetensors"));

        Path split = dir.resolve("split");
        run(model(), d, config(3, 2e-3, split, false).withEpochs(2));
        MobileNet resumed = model();
        TrainingRun.Summary r = run(resumed, d, config(3, 2e-3, split, true));
        assertEquals(3, r.epochs().size());
        assertArrayEquals(flat(a), flat(resumed), "2 epochs + resume to 3 = 3 epochs");
        assertEquals(Files.readAllLines(full.resolve("metrics.csv")).get(3).split(",")[2],
                Files.readAllLines(split.resolve("metrics.csv")).get(3).split(",")[2], "epoch 3 train loss");

        MobileNetException done = assertThrows(MobileNetException.class,
                () -> run(model(), d, config(3, 2e-3, split, true)));
        assertTrue(done.getMessage().contains("already finished 3 epochs"), done.getMessage());
    }

    @Test
    void aLossThatIsNotFiniteStopsTheRunAndKeepsTheLastCheckpoint() throws IOException {
        NpyDataset d = data();
        Path out = dir.resolve("nan");
        run(model(), d, config(1, 1e-3, out, false));
        byte[] good = Files.readAllBytes(out.resolve("last.safetensors"));
        MobileNet m = model();
        Weights.load(m, out.resolve("last.safetensors"));
        RunConfig explode = new RunConfig(3, TrainerConfig.of(OptimizerConfig.timm("adamw", 1e30, 0)),
                Schedule.Cosine.of(1e30, 3, 0, 0, 0, false), 0, false, 1, out, true);
        MobileNetException e = assertThrows(MobileNetException.class, () -> run(m, d, explode));
        assertTrue(e.getMessage().contains("the loss became") && e.getMessage().contains("last.safetensors"),
                e.getMessage());
        assertArrayEquals(good, Files.readAllBytes(out.resolve("last.safetensors")));
    }

    @Test
    void resumeNeedsItsFiles() {
        NpyDataset d = data();
        MobileNetException e = assertThrows(MobileNetException.class,
                () -> run(model(), d, config(2, 1e-3, dir.resolve("empty"), true)));
        assertTrue(e.getMessage().startsWith("cannot resume: "), e.getMessage());
    }

    @Test
    void evaluationCountsTopOneTopFiveAndClasses() {
        NpyDataset d = data();
        // An engine whose logits favour class (index % 3) for even samples and class 0 otherwise.
        Engine fake = new Engine() {
            private int seen;

            @Override
            public int numClasses() {
                return CLASSES;
            }

            @Override
            public Tensor logits(Tensor x) {
                throw new UnsupportedOperationException();
            }

            @Override
            public void logits(float[] x, int n, int h, int w, float[] out) {
                for (int i = 0; i < n; i++, seen++) {
                    int c = seen % 2 == 0 ? seen % CLASSES : 0;
                    for (int k = 0; k < CLASSES; k++) {
                        out[i * CLASSES + k] = k == c ? 5f : 0f;
                    }
                }
            }

            @Override
            public Tensor preLogits(Tensor x) {
                throw new UnsupportedOperationException();
            }

            @Override
            public List<Tensor> features(Tensor x) {
                throw new UnsupportedOperationException();
            }
        };
        Evaluation ev;
        try (DataLoader l = new DataLoader(d, LoaderOptions.eval(5, 1))) {
            ev = Evaluation.of(fake, l);
        }
        int hits = 0;
        int[] correct = new int[CLASSES];
        for (int i = 0; i < N; i++) {
            int pred = i % 2 == 0 ? i % CLASSES : 0;
            if (pred == i % CLASSES) {
                hits++;
                correct[i % CLASSES]++;
            }
        }
        assertEquals(N, ev.images());
        assertEquals((double) hits / N, ev.top1(), 1e-12);
        assertEquals(1.0, ev.top5(), 1e-12, "3 classes: always in the top 5");
        assertArrayEquals(correct, ev.correct());
        assertArrayEquals(new int[] {8, 8, 8}, ev.total());
    }
}

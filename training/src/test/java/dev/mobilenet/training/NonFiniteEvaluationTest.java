package dev.mobilenet.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mobilenet.arch.ModelSpec;
import dev.mobilenet.data.DataLoader;
import dev.mobilenet.data.LoaderOptions;
import dev.mobilenet.data.NpyDataset;
import dev.mobilenet.io.Npy;
import dev.mobilenet.model.MobileNet;
import dev.mobilenet.model.Session;
import dev.mobilenet.tensor.Tensor;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 11, defect 1: a diverged model (NaN weights, so NaN logits) scores 0, never 100%, and its loss is NaN. */
class NonFiniteEvaluationTest {
    @TempDir
    Path dir;

    @Test
    void nanLogitsAreNeverCorrect() {
        int n = 6;
        Path xs = dir.resolve("x.npy");
        Path ys = dir.resolve("y.npy");
        Npy.write(xs, new Tensor(new int[] {n, 3, 32, 32}, new float[n * 3 * 32 * 32]));
        Npy.writeLong(ys, new int[] {n}, new long[] {0, 1, 2, 0, 1, 2});
        MobileNet m = MobileNet.create(ModelSpec.parse("mobilenetv3_small_050"), 3, 1L);
        Arrays.fill(m.stateDict().get("classifier.weight").data(), Float.NaN);
        Evaluation ev;
        try (Session s = m.compile().newSession(1);
             DataLoader l = new DataLoader(NpyDataset.load(xs, ys, 3), LoaderOptions.eval(4, 1))) {
            ev = Evaluation.of(s, l);
        }
        assertEquals(n, ev.images());
        assertEquals(0.0, ev.top1());
        assertEquals(0.0, ev.top5());
        assertTrue(Double.isNaN(ev.loss()));
        assertEquals(0, Arrays.stream(ev.correct()).sum());
    }
}

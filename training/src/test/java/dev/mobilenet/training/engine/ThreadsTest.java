package dev.mobilenet.training.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mobilenet.arch.ModelSpec;
import dev.mobilenet.model.MobileNet;
import dev.mobilenet.nn.ParamRef;
import dev.mobilenet.testing.FixtureWeights;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Splitting the work over threads must not change a single bit of the weights, statistics or losses. */
class ThreadsTest {
    private static final int N = 5;
    private static final int S = 40;

    private record Run(Map<String, float[]> state, double[] losses, float[] evalLogits) {
    }

    private static Run train(String arch, int threads) {
        MobileNet m = MobileNet.create(ModelSpec.parse(arch), 7, 0L);
        FixtureWeights.apply(m, 11);
        TrainerConfig cfg = TrainerConfig.of(OptimizerConfig.timm("adamw", 1e-3, 0.05)).withSmoothing(0.1)
                .withDrop(0.2, 0.1, 9).withThreads(threads);
        double[] losses = new double[3];
        float[] logits;
        try (Trainer t = new Trainer(m, cfg)) {
            for (int s = 0; s < losses.length; s++) {
                float[] x = FixtureWeights.input(20 + s, N, 3, S, S).data();
                int[] labels = new int[N];
                for (int i = 0; i < N; i++) {
                    labels[i] = (3 * i + s) % 7;
                }
                losses[s] = t.step(x, N, S, S, labels);
            }
            logits = t.evalLogits(FixtureWeights.input(30, N, 3, S, S).data(), N, S, S);
        }
        Map<String, float[]> state = new LinkedHashMap<>();
        for (ParamRef p : m.stateDict().values()) {
            if (!p.isCounter()) {
                state.put(p.key(), p.data().clone());
            }
        }
        return new Run(state, losses, logits);
    }

    @Test
    void oneTwoAndThreeThreadsAreBitIdentical() {
        for (String arch : new String[] {"mobilenetv3_small_050", "mobilenetv2_050", "mobilenetv1_100"}) {
            Run one = train(arch, 1);
            for (int threads : new int[] {2, 3}) {
                Run r = train(arch, threads);
                assertArrayEquals(one.losses(), r.losses(), 0.0, arch + " losses, " + threads + " threads");
                assertArrayEquals(one.evalLogits(), r.evalLogits(), 0f, arch + " eval logits, " + threads
                        + " threads");
                assertEquals(one.state().keySet(), r.state().keySet());
                for (Map.Entry<String, float[]> e : one.state().entrySet()) {
                    float[] a = e.getValue();
                    float[] b = r.state().get(e.getKey());
                    for (int i = 0; i < a.length; i++) {
                        if (Float.floatToRawIntBits(a[i]) != Float.floatToRawIntBits(b[i])) {
                            throw new AssertionError(arch + " " + e.getKey() + "[" + i + "] with " + threads
                                    + " threads: " + b[i] + " vs " + a[i] + " with one");
                        }
                    }
                }
            }
        }
    }
}

package dev.mobilenet.training.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mobilenet.MobileNetException;
import dev.mobilenet.arch.ModelSpec;
import dev.mobilenet.model.MobileNet;
import dev.mobilenet.nn.ParamRef;
import dev.mobilenet.tensor.Tensor;
import dev.mobilenet.testing.FixtureWeights;
import dev.mobilenet.testing.Golden;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Trainer behaviour beyond the timm parity fixtures: eval mode, resume, freezing, EMA, clipping, drop rates. */
class TrainerTest {
    private static final int N = 2;
    private static final int S = 32;

    private static MobileNet small(long seed) {
        MobileNet m = MobileNet.create(ModelSpec.parse("mobilenetv3_small_050"), 5, 0L);
        FixtureWeights.apply(m, seed);
        return m;
    }

    private static float[] images(long seed) {
        return FixtureWeights.input(seed, N, 3, S, S).data();
    }

    private static Map<String, float[]> snapshot(MobileNet m) {
        Map<String, float[]> out = new HashMap<>();
        for (ParamRef p : m.stateDict().values()) {
            if (!p.isCounter()) {
                out.put(p.key(), p.data().clone());
            }
        }
        return out;
    }

    @Test
    void evalLogitsEqualTheInferenceEngine() {
        MobileNet m = small(3);
        Trainer t = new Trainer(m, TrainerConfig.of(OptimizerConfig.timm("adamw", 1e-3, 0.01)));
        float[] x = images(4);
        float[] mine = t.evalLogits(x, N, S, S);
        Tensor ref = m.compile().newSession().logits(new Tensor(new int[] {N, 3, S, S}, x));
        Golden.assertClose("eval logits vs Session", ref.data(), mine, 1e-4);
        t.step(x, N, S, S, new int[] {1, 2});
        float[] after = t.evalLogits(x, N, S, S);
        Tensor ref2 = m.compile().newSession().logits(new Tensor(new int[] {N, 3, S, S}, x));
        Golden.assertClose("eval logits after a step", ref2.data(), after, 1e-4);
    }

    @Test
    void resumeFromExportedOptimizerStateIsExact() {
        for (String opt : List.of("sgd", "rmsproptf", "adamw", "lamb")) {
            OptimizerConfig oc = OptimizerConfig.timm(opt, 1e-2, 1e-2);
            MobileNet a = small(5);
            Trainer ta = new Trainer(a, TrainerConfig.of(oc));
            ta.step(images(1), N, S, S, new int[] {0, 1});
            ta.step(images(2), N, S, S, new int[] {2, 3});
            Map<String, Tensor> state = ta.optimizerState();
            Map<String, float[]> weights = snapshot(a);

            MobileNet b = small(5);
            Map<String, Tensor> floats = new HashMap<>();
            weights.forEach((k, v) -> floats.put(k, new Tensor(b.stateDict().get(k).shape(), v.clone())));
            b.loadStateDict(floats, Map.of());
            Trainer tb = new Trainer(b, TrainerConfig.of(oc));
            tb.loadOptimizerState(state);

            ta.step(images(3), N, S, S, new int[] {4, 0});
            tb.step(images(3), N, S, S, new int[] {4, 0});
            Map<String, float[]> wa = snapshot(a);
            Map<String, float[]> wb = snapshot(b);
            for (String k : wa.keySet()) {
                if (!k.contains("running")) {
                    assertArrayEquals(wa.get(k), wb.get(k), opt + " " + k);
                }
            }
            assertTrue(state.keySet().stream().anyMatch(k -> k.endsWith(".step")), opt + " exports step counts");
        }
    }

    @Test
    void optimizerStateRejectsUnknownEntries() {
        Trainer t = new Trainer(small(1), TrainerConfig.of(OptimizerConfig.timm("adamw", 1e-3, 0)));
        MobileNetException e = assertThrows(MobileNetException.class, () -> t.loadOptimizerState(
                Map.of("nope.exp_avg", new Tensor(new int[] {1}, new float[1]))));
        assertTrue(e.getMessage().contains("nope.exp_avg"), e.getMessage());
        assertThrows(MobileNetException.class, () -> t.loadOptimizerState(
                Map.of("classifier.bias.exp_avg", new Tensor(new int[] {2}, new float[2]))));
    }

    @Test
    void frozenBackboneTrainsOnlyTheClassifier() {
        MobileNet m = small(7);
        Map<String, float[]> before = snapshot(m);
        Trainer t = new Trainer(m, TrainerConfig.of(OptimizerConfig.timm("momentum", 0.1, 1e-4)));
        t.freezeBackbone(true);
        t.step(images(8), N, S, S, new int[] {0, 3});
        Map<String, float[]> after = snapshot(m);
        for (String k : before.keySet()) {
            if (k.startsWith("classifier.")) {
                assertNotEquals(before.get(k)[0], after.get(k)[0], k + " trains");
            } else {
                assertArrayEquals(before.get(k), after.get(k), k + " is frozen (running stats too)");
            }
        }
        assertEquals(2, t.trainableParams().size());
    }

    @Test
    void newClassifierKeepsTheBackbone() {
        MobileNet m = small(9);
        MobileNet f = Finetune.withNewClassifier(m, 3, 11L);
        assertEquals(3, f.numClasses());
        Map<String, ParamRef> src = m.stateDict();
        for (ParamRef p : f.stateDict().values()) {
            if (p.key().startsWith("classifier.")) {
                double bound = 1 / Math.sqrt(f.classifier.inFeatures);
                for (float v : p.data()) {
                    assertTrue(Math.abs(v) <= bound, p.key());
                }
            } else if (!p.isCounter()) {
                assertArrayEquals(src.get(p.key()).data(), p.data(), p.key());
            }
        }
        new Trainer(f, TrainerConfig.of(OptimizerConfig.timm("adamw", 1e-3, 0))).step(images(1), N, S, S,
                new int[] {0, 2});
    }

    @Test
    void emaFollowsTimmModelEmaV3() {
        MobileNet m = small(12);
        ModelEma ema = new ModelEma(m, 0.9);
        Map<String, float[]> e0 = snapshot(ema.model());
        Map<String, float[]> m0 = snapshot(m);
        e0.forEach((k, v) -> assertArrayEquals(m0.get(k), v, k));
        Trainer t = new Trainer(m, TrainerConfig.of(OptimizerConfig.timm("momentum", 0.1, 0)));
        t.step(images(1), N, S, S, new int[] {0, 1});
        Map<String, float[]> m1 = snapshot(m);
        ema.update(m, null);
        Map<String, float[]> e1 = snapshot(ema.model());
        for (String k : e1.keySet()) {
            float[] a = e1.get(k);
            for (int i = 0; i < a.length; i++) {
                assertEquals(0.9 * m0.get(k)[i] + 0.1 * m1.get(k)[i], a[i], 1e-6, k);
            }
        }
        assertEquals(1, ema.model().bn1.numBatchesTracked[0], "integer buffers are copied");
        assertEquals(0.0, ema.decay(1L), "timm: decay 0 on the first step");
        ModelEma warm = new ModelEma(m, 0.9999, 0.0, 0, true, 1.0, 0.75);
        assertEquals(Math.min(1 - Math.pow(1 + 9.0, -0.75), 0.9999), warm.decay(10L), 1e-15);
    }

    @Test
    void clippingFollowsTorch() {
        float[] g1 = {3f, 0f};
        float[] g2 = {0f, 4f};
        List<Param> ps = new ArrayList<>(List.of(new Param("a", new int[] {2}, new float[2], g1),
                new Param("b", new int[] {2}, new float[2], g2)));
        assertEquals(5.0, GradClip.byNorm(ps, 1.0), 1e-9);
        double coef = 1.0 / (5.0 + 1e-6);
        assertEquals(3 * coef, g1[0], 1e-7);
        assertEquals(4 * coef, g2[1], 1e-7);
        assertEquals(1.0, GradClip.byNorm(ps, 10.0), 1e-6, "no change below the limit");
        assertEquals(3 * coef, g1[0], 1e-7);
        GradClip.byValue(ps, 0.5);
        assertEquals(0.5f, g1[0]);
        assertEquals(0.5f, g2[1]);
    }

    @Test
    void dropRatesAreSeededAndOffInEval() {
        TrainerConfig cfg = TrainerConfig.of(OptimizerConfig.timm("momentum", 0.05, 0)).withDrop(0.3, 0.2, 42L);
        MobileNet a = small(13);
        MobileNet b = small(13);
        double la = new Trainer(a, cfg).step(images(2), N, S, S, new int[] {1, 1});
        double lb = new Trainer(b, cfg).step(images(2), N, S, S, new int[] {1, 1});
        assertEquals(la, lb, "same seed, same dropout and drop-path masks");
        MobileNet c = small(13);
        double lc = new Trainer(c, cfg.withDrop(0.3, 0.2, 43L)).step(images(2), N, S, S, new int[] {1, 1});
        assertNotEquals(la, lc, "another seed, other masks");
        MobileNet d = small(13);
        Trainer td = new Trainer(d, cfg);
        float[] x = images(3);
        Golden.assertClose("eval ignores dropout", d.compile().newSession()
                .logits(new Tensor(new int[] {N, 3, S, S}, x)).data(), td.evalLogits(x, N, S, S), 1e-4);
    }

    /**
     * Every registered architecture at 64x64 (at 32x32 with batch 2 the last BatchNorms see two values each, whose
     * normalised outputs are +-1 whatever the input, and training blows up in torch too): a step runs, eval logits
     * equal the inference engine, and for four head styles the classifier gradient matches finite differences.
     */
    @Test
    void everyArchitectureTrains() {
        for (String arch : dev.mobilenet.arch.Registry.ARCHITECTURES) {
            MobileNet m = MobileNet.create(ModelSpec.parse(arch), 3, 0L);
            FixtureWeights.apply(m, 21);
            Trainer t = new Trainer(m, TrainerConfig.of(OptimizerConfig.timm("momentum", 0.01, 1e-4)).withSmoothing(0.1));
            float[] x = FixtureWeights.input(22, N, 3, 64, 64).data();
            int[] labels = {0, 2};
            if (List.of("mobilenetv1_100", "mobilenetv1_100h", "mobilenetv3_rw", "tf_mobilenetv3_large_minimal_100")
                    .contains(arch)) {
                float[] big = FixtureWeights.input(23, 4, 3, 64, 64).data();
                int[] four = {0, 2, 1, 1};
                t.forwardBackward(big, 4, 64, 64, four);
                for (String key : List.of("classifier.weight", "classifier.bias")) {
                    checkFiniteDifference(arch, t, m.stateDict().get(key).data(), t.gradients().get(key).clone(), big,
                            four, key);
                }
            }
            double loss = t.step(x, N, 64, 64, labels);
            assertTrue(Double.isFinite(loss), arch + " loss " + loss);
            Golden.assertClose(arch + " eval logits", m.compile().newSession()
                    .logits(new Tensor(new int[] {N, 3, 64, 64}, x)).data(), t.evalLogits(x, N, 64, 64), 1e-3);
        }
    }

    /**
     * Central differences of the float train-mode loss (batch 4 at 64x64) at the element with the largest gradient.
     * Only for the classifier: deeper parameters of these generator-weight networks are too non-linear for a
     * float difference quotient (mobilenetv1_100's largest stem gradient, 8.877 in torch float64 and 8.870 here,
     * has float64 difference quotients 3.17 at h = 1e-2 and 8.67 at h = 1e-4); the timm fixtures cover them.
     */
    private static void checkFiniteDifference(String arch, Trainer t, float[] w, float[] grad, float[] x,
                                              int[] labels, String key) {
        int best = 0;
        for (int i = 0; i < grad.length; i++) {
            if (Math.abs(grad[i]) > Math.abs(grad[best])) {
                best = i;
            }
        }
        float orig = w[best];
        float h = 1e-3f;
        w[best] = orig + h;
        double lp = t.forwardBackward(x, 4, 64, 64, labels);
        w[best] = orig - h;
        double lm = t.forwardBackward(x, 4, 64, 64, labels);
        w[best] = orig;
        double num = (lp - lm) / (2 * h);
        assertEquals(num, grad[best], 3e-2 * Math.abs(num) + 1e-5, arch + " " + key + "[" + best + "]");
    }

    @Test
    void badInputsFailWithOneLine() {
        Trainer t = new Trainer(small(1), TrainerConfig.of(OptimizerConfig.timm("adamw", 1e-3, 0)));
        assertThrows(MobileNetException.class, () -> t.step(new float[10], N, S, S, new int[] {0, 1}));
        assertThrows(MobileNetException.class, () -> t.step(images(1), N, S, S, new int[] {0, 9}));
        assertThrows(MobileNetException.class, () -> t.step(images(1), N, S, S, new int[] {0}));
        assertThrows(MobileNetException.class, () -> OptimizerConfig.timm("adam-ish", 1e-3, 0));
        assertThrows(MobileNetException.class, () -> OptimizerConfig.timm("sgd", 0.1, 0).withMomentum(0));
        assertThrows(MobileNetException.class, () -> new Trainer(
                MobileNet.create(ModelSpec.parse("mobilenetv3_small_050"), 0, 0L),
                TrainerConfig.of(OptimizerConfig.timm("adamw", 1e-3, 0))));
    }
}

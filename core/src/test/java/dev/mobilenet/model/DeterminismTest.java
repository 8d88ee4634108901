package dev.mobilenet.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.mobilenet.arch.ModelSpec;
import dev.mobilenet.tensor.Tensor;
import dev.mobilenet.testing.FixtureWeights;
import org.junit.jupiter.api.Test;

/**
 * The same input gives the same bits whether the kernels run interpreted or JIT-compiled, in a new session or a
 * warm one, alone or inside a batch, on one thread or several (the threads split work, never a sum).
 */
class DeterminismTest {
    @Test
    void outputsDoNotDependOnJitStateOrBatching() {
        MobileNet m = MobileNet.create(ModelSpec.parse("tf_mobilenetv3_small_075"), 10, 0L);
        FixtureWeights.apply(m, 3L);
        Tensor x = FixtureWeights.input(4L, 2, 3, 48, 40);
        Inference net = m.compile();
        float[] cold = net.newSession().logits(x).data();
        Session warm = net.newSession();
        for (int i = 0; i < 300; i++) {
            warm.logits(x);
        }
        assertArrayEquals(cold, warm.logits(x).data());
        float[] first = new float[3 * 48 * 40];
        System.arraycopy(x.data(), 0, first, 0, first.length);
        float[] single = warm.logits(new Tensor(new int[] {1, 3, 48, 40}, first)).data();
        float[] batched = warm.logits(x).data();
        for (int i = 0; i < single.length; i++) {
            assertArrayEquals(new float[] {single[i]}, new float[] {batched[i]}, "class " + i);
        }
    }

    @Test
    void threadsGiveTheSameBits() {
        for (String arch : new String[] {"mobilenetv2_050", "mobilenetv3_large_075", "tf_mobilenetv3_small_100",
                "mobilenetv1_100"}) {
            MobileNet m = MobileNet.create(ModelSpec.parse(arch), 7, 0L);
            FixtureWeights.apply(m, 5L);
            Tensor x = FixtureWeights.input(6L, 5, 3, 67, 45);
            Inference net = m.compile();
            Tensor one = x;
            float[] ref = net.newSession().logits(x).data();
            float[] refPre = net.newSession().preLogits(x).data();
            java.util.List<Tensor> refFeat = net.newSession().features(x);
            for (int threads : new int[] {2, 3, 8}) {
                try (Session s = net.newSession(threads)) {
                    for (int rep = 0; rep < 3; rep++) {
                        assertArrayEquals(ref, s.logits(one).data(), arch + " threads=" + threads);
                        assertArrayEquals(refPre, s.preLogits(one).data(), arch + " pre-logits threads=" + threads);
                        java.util.List<Tensor> f = s.features(one);
                        for (int i = 0; i < f.size(); i++) {
                            assertArrayEquals(refFeat.get(i).data(), f.get(i).data(), arch + " feature " + i);
                        }
                    }
                    float[] first = java.util.Arrays.copyOf(x.data(), 3 * 67 * 45);
                    float[] single = s.logits(new Tensor(new int[] {1, 3, 67, 45}, first)).data();
                    assertArrayEquals(java.util.Arrays.copyOf(ref, 7), single, arch + " batch of one, " + threads);
                }
            }
        }
    }
}

package dev.mobilenet.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.mobilenet.arch.ModelSpec;
import dev.mobilenet.tensor.Tensor;
import dev.mobilenet.testing.FixtureWeights;
import org.junit.jupiter.api.Test;

/**
 * The same input gives the same bits whether the kernels run interpreted or JIT-compiled, in a new session or a
 * warm one, alone or inside a batch.
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
}

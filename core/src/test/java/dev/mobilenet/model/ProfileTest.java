package dev.mobilenet.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mobilenet.arch.ModelSpec;
import dev.mobilenet.tensor.Tensor;
import dev.mobilenet.testing.FixtureWeights;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** {@link Session#profile}: every step of the plan, in order, with its MACs; outputs unchanged by profiling. */
class ProfileTest {
    @Test
    void timesEveryStepAndCountsTheConvMacs() {
        for (String arch : new String[] {"mobilenetv3_small_050", "mobilenetv2_050", "mobilenetv1_100"}) {
            MobileNet m = MobileNet.create(ModelSpec.parse(arch), 10, 0L);
            FixtureWeights.apply(m, 3L);
            Tensor x = FixtureWeights.input(4L, 1, 3, 64, 48);
            for (int threads : new int[] {1, 2}) {
                try (Session s = m.compile().newSession(threads)) {
                    float[] before = s.logits(x).data();
                    List<Session.StepTime> steps = s.profile(x, 3);
                    assertArrayEquals(before, s.logits(x).data(), arch + ": profiling changes nothing");
                    assertEquals("conv_stem", steps.get(0).name(), arch);
                    assertEquals("stem", steps.get(0).kind(), arch);
                    assertEquals("classifier", steps.get(steps.size() - 1).kind(), arch);
                    Set<String> kinds = steps.stream().map(Session.StepTime::kind).collect(Collectors.toSet());
                    assertTrue(kinds.containsAll(Set.of("pointwise", "depthwise", "pool")), arch + " " + kinds);
                    assertEquals(arch.startsWith("mobilenetv3"), kinds.contains("se"), arch + " " + kinds);
                    assertTrue(steps.stream().allMatch(t -> t.nanos() >= 0), arch);
                    assertTrue(steps.stream().mapToLong(Session.StepTime::nanos).sum() > 0, arch);
                    long macs = steps.stream().mapToLong(Session.StepTime::macs).sum();
                    assertEquals(m.macs(64, 48), macs, arch + ": MACs as `info` counts them");
                }
            }
        }
    }
}

package dev.mobilenet.hub;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.mobilenet.arch.Registry;
import dev.mobilenet.testing.Hostile;
import java.util.Optional;

/** config.json from hostile bytes: parsed, type-checked, and merged over a registry config and over none. */
class TimmConfigFuzzTest {
    @FuzzTest
    void fuzz(byte[] data) throws Exception {
        Hostile.parse(() -> {
            TimmConfig c = TimmConfig.parse(data, "config.json");
            c.effectiveNumClasses();
            c.merge(Optional.empty());
            c.merge(Registry.resolve("mobilenetv3_small_050.lamb_in1k").pretrained());
        });
    }
}

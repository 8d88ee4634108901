package dev.mobilenet.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mobilenet.MobileNetException;
import dev.mobilenet.arch.ModelSpec;
import dev.mobilenet.nn.ParamRef;
import dev.mobilenet.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Strict loading: every missing, unexpected and mis-shaped key is reported in one message. */
class LoadStateDictTest {
    private static Map<String, Tensor> floats(MobileNet m) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (ParamRef p : m.stateDict().values()) {
            if (!p.isCounter()) {
                out.put(p.key(), new Tensor(p.shape(), p.data().clone()));
            }
        }
        return out;
    }

    @Test
    void reportsEveryProblemOnOneLine() {
        MobileNet m = MobileNet.create(ModelSpec.parse("mobilenetv3_small_050"), 1000, 0L);
        Map<String, Tensor> sd = floats(m);
        sd.remove("conv_head.bias");
        sd.remove("blocks.1.0.bn1.running_var");
        sd.put("head.fc.weight", Tensor.zeros(2, 2));
        sd.put("classifier.weight", Tensor.zeros(11221, 1024));
        MobileNetException e = assertThrows(MobileNetException.class, () -> m.loadStateDict(sd, Map.of()));
        String msg = e.getMessage();
        assertFalse(msg.contains("\n"), msg);
        assertTrue(msg.contains("missing 2 keys: blocks.1.0.bn1.running_var, conv_head.bias"), msg);
        assertTrue(msg.contains("unexpected 1 key: head.fc.weight"), msg);
        assertTrue(msg.contains("classifier.weight is (11221, 1024) but the model has (1000, 1024)"), msg);
    }

    @Test
    void anotherWidthGivesAShortLine() {
        MobileNet small = MobileNet.create(ModelSpec.parse("mobilenetv3_small_050"), 10, 0L);
        MobileNet wide = MobileNet.create(ModelSpec.parse("mobilenetv3_small_100"), 10, 0L);
        MobileNetException e = assertThrows(MobileNetException.class,
                () -> wide.loadStateDict(floats(small), Map.of()));
        String msg = e.getMessage();
        assertTrue(msg.contains("wrong shape: ") && msg.matches(".*; \\.\\.\\. \\(\\d+ more\\)$"), msg);
        assertEquals(8, msg.split(" but the model has ").length - 1, msg);
        assertTrue(msg.length() < 1000, msg.length() + " characters");
    }

    @Test
    void countersAreOptional() {
        MobileNet m = MobileNet.create(ModelSpec.parse("mobilenetv1_100"), 5, 0L);
        m.loadStateDict(floats(m), Map.of());
        m.loadStateDict(floats(m), Map.of("bn1.num_batches_tracked", 7L));
        assertTrue(m.bn1.numBatchesTracked[0] == 7L);
        assertThrows(MobileNetException.class, () -> m.loadStateDict(floats(m), Map.of("bn9.num_batches_tracked", 1L)));
    }
}

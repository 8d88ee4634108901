package dev.mobilenet.classify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.mobilenet.MobileNetException;
import java.util.List;
import org.junit.jupiter.api.Test;

class PredictionsTest {
    @Test
    void softmaxInDoubleRankedWithTiesToTheLowerIndex() {
        float[] row = {9f, 1f, 3f, 2f, 3f, 0.5f};
        double sum = 0;
        for (int i = 1; i < 6; i++) {
            sum += Math.exp(row[i] - 3.0);
        }
        List<Top> top = Predictions.topK(row, 1, 5, 3, List.of("a", "b", "c", "d", "e"));
        assertEquals(List.of(new Top(1, "b", 1 / sum), new Top(3, "d", 1 / sum),
                new Top(2, "c", Math.exp(-1.0) / sum)), top);
    }

    @Test
    void moreThanTheClassesGivesAllAndMissingLabelsAreIndices() {
        List<Top> top = Predictions.topK(new float[] {0f, 2f}, 0, 2, 5, List.of());
        assertEquals(2, top.size());
        assertEquals("1", top.get(0).label());
        assertEquals("0", top.get(1).label());
        assertEquals(1.0, top.get(0).probability() + top.get(1).probability(), 1e-15);
    }

    @Test
    void badArgumentsFailWithOneLine() {
        assertThrows(MobileNetException.class, () -> Predictions.topK(new float[3], 0, 3, 0, List.of()));
        assertThrows(MobileNetException.class, () -> Predictions.topK(new float[3], 1, 3, 1, List.of()));
        assertThrows(MobileNetException.class, () -> Predictions.topK(new float[3], -1, 2, 1, List.of()));
    }
}

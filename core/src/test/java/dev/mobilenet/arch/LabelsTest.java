package dev.mobilenet.arch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class LabelsTest {
    @Test
    void everyPretrainedTagHasItsLabels() {
        for (PretrainedCfg cfg : Registry.PRETRAINED) {
            List<Labels.Label> labels = Labels.of(cfg).orElseThrow();
            assertEquals(cfg.numClasses(), labels.size(), cfg.name());
        }
        PretrainedCfg in1k = Registry.resolve("mobilenetv3_large_100.ra_in1k").pretrained().orElseThrow();
        List<Labels.Label> l = Labels.of(in1k).orElseThrow();
        assertEquals(new Labels.Label("n01440764", "tench, Tinca tinca"), l.get(0));
        assertEquals("toilet tissue, toilet paper, bathroom tissue", l.get(999).name());
        PretrainedCfg in21k = Registry.resolve("mobilenetv3_large_100.miil_in21k").pretrained().orElseThrow();
        assertEquals("n00005787", Labels.of(in21k).orElseThrow().get(0).synset());
        assertTrue(Labels.labelSet(in21k).orElseThrow().equals("imagenet21k_miil"));
    }
}

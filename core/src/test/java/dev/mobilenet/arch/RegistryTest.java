package dev.mobilenet.arch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mobilenet.MobileNetException;
import dev.mobilenet.model.MobileNet;
import java.util.List;
import org.junit.jupiter.api.Test;

class RegistryTest {
    @Test
    void listsTheSeedsV3NamesInTimmOrder() {
        List<String> expected = List.of(
                "mobilenetv3_large_100.miil_in21k", "mobilenetv3_large_100.miil_in21k_ft_in1k",
                "mobilenetv3_large_100.ra4_e3600_r224_in1k", "mobilenetv3_large_100.ra_in1k",
                "mobilenetv3_large_150d.ra4_e3600_r256_in1k", "mobilenetv3_rw.rmsp_in1k",
                "mobilenetv3_small_050.lamb_in1k", "mobilenetv3_small_075.lamb_in1k",
                "mobilenetv3_small_100.lamb_in1k", "tf_mobilenetv3_large_075.in1k", "tf_mobilenetv3_large_100.in1k",
                "tf_mobilenetv3_large_minimal_100.in1k", "tf_mobilenetv3_small_075.in1k",
                "tf_mobilenetv3_small_100.in1k", "tf_mobilenetv3_small_minimal_100.in1k");
        assertEquals(expected, Registry.list(List.of("*mobilenetv3*"), true));
    }

    @Test
    void listsLikeTimm() {
        assertEquals(List.of("mobilenetv1_100.ra4_e3600_r224_in1k", "mobilenetv1_100h.ra4_e3600_r224_in1k",
                "mobilenetv1_125.ra4_e3600_r224_in1k", "mobilenetv2_050.lamb_in1k", "mobilenetv2_100.ra_in1k",
                "mobilenetv2_110d.ra_in1k", "mobilenetv2_120d.ra_in1k", "mobilenetv2_140.ra_in1k"),
                Registry.list(List.of("mobilenetv[12]*"), true));
        assertEquals(23, Registry.list(List.of(), false).size());
        assertEquals(23, Registry.list(List.of(), true).size());
        assertEquals(List.of("mobilenetv3_large_100.miil_in21k", "mobilenetv3_large_100.miil_in21k_ft_in1k",
                "mobilenetv3_large_100.ra4_e3600_r224_in1k", "mobilenetv3_large_100.ra_in1k"),
                Registry.list(List.of("mobilenetv3_large_100"), true));
        assertEquals(List.of("mobilenetv2_035", "mobilenetv2_050"), Registry.list(List.of("mobilenetv2_0[!7]?"), false));
        assertTrue(Registry.list(List.of("resnet*"), false).isEmpty());
    }

    @Test
    void tagsCarryTheirClassCount() {
        assertEquals(11221, Registry.resolve("mobilenetv3_large_100.miil_in21k").numClasses());
        assertEquals(1000, Registry.resolve("mobilenetv3_large_100").numClasses());
        assertEquals("mobilenetv3_large_100.ra_in1k", Registry.resolve("mobilenetv3_large_100").name());
        assertEquals("mobilenetv2_060", Registry.resolve("mobilenetv2_060").name());
        MobileNetException e = assertThrows(MobileNetException.class,
                () -> Registry.resolve("mobilenetv3_large_100.imagenet"));
        assertTrue(e.getMessage().contains("ra_in1k"), e.getMessage());
    }

    @Test
    void unknownNamesSuggestTheClosest() {
        MobileNetException e = assertThrows(MobileNetException.class, () -> Registry.resolve("mobilenetv3_larg_100"));
        assertTrue(e.getMessage().startsWith("unknown model 'mobilenetv3_larg_100'; did you mean: mobilenetv3_large_100"),
                e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
        assertThrows(MobileNetException.class, () -> ModelSpec.parse("mobilenetv2_130d"));
        assertThrows(MobileNetException.class, () -> ModelSpec.parse("mobilenetv3_small_150d"));
        assertThrows(MobileNetException.class, () -> ModelSpec.parse("mobilenetv1_000"));
        assertThrows(MobileNetException.class, () -> ModelSpec.parse("resnet50"));
    }

    @Test
    void otherWidthsParseIntoTypedSpecs() {
        ModelSpec s = ModelSpec.parse("tf_mobilenetv3_small_minimal_125");
        assertEquals(Family.V3, s.family());
        assertEquals(V3Variant.SMALL, s.v3Variant());
        assertTrue(s.minimal() && s.tf());
        assertEquals(1.25, s.widthMultiplier());
        assertEquals(1.2, ModelSpec.parse("mobilenetv3_large_150d").depthMultiplier());
        ModelSpec d = ModelSpec.parse("mobilenetv2_120d");
        assertEquals(1.4, d.depthMultiplier());
        assertTrue(d.fixStemHead());
        assertTrue(ModelSpec.parse("mobilenetv1_050h").headConv());
        // V3's stem stays at 16 below alpha 0.75
        assertEquals(16, MobileNet.create(ModelSpec.parse("mobilenetv3_large_060"), 10, 0).convStem.outChannels);
        assertEquals(24, MobileNet.create(ModelSpec.parse("mobilenetv3_large_150d"), 10, 0).convStem.outChannels);
    }

    @Test
    void channelRoundingIsTimms() {
        assertEquals(16, Channels.makeDivisible(12));
        assertEquals(8, Channels.makeDivisible(4));
        assertEquals(184, Channels.makeDivisible(80 * 2.3));
        assertEquals(88, Channels.roundChannels(96, 0.9));
        assertEquals(Channels.pythonRound(2.5), 2);
        assertEquals(Channels.pythonRound(3.5), 4);
    }

    @Test
    void eachEntryHoldsItsGeneratorChoicesAndTagsAndTheNameFollowsFromTheChoices() {
        assertEquals(23, Registry.ENTRIES.size());
        for (Registry.Registration e : Registry.ENTRIES) {
            assertEquals(e, Registry.ENTRIES.stream().filter(o -> o.name().equals(e.name())).findFirst().orElseThrow(),
                    "one entry per architecture");
            assertEquals(e.spec(), ModelSpec.parse(e.name().toUpperCase(java.util.Locale.ROOT)));
            if (e.spec().depthMultiplier() == 1.0 && e.spec().v3Variant() != V3Variant.RW) {
                assertEquals(e.spec(), ModelSpec.parseWidth(e.name(), e.name()), "the name alone gives the choices");
            }
            e.pretrained().forEach(p -> assertEquals(e.name(), p.arch()));
        }
        assertEquals("mobilenetv2_110d", ModelSpec.v2(1.1).withDepth(1.2).withFixStemHead().arch());
        assertEquals("tf_mobilenetv3_small_minimal_125", ModelSpec.v3(V3Variant.SMALL, 1.25).withTf().withMinimal()
                .arch());
        assertEquals("mobilenetv1_050h", ModelSpec.v1(0.5).withHeadConv().arch());
    }
}

package dev.mobilenet.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mobilenet.arch.ModelSpec;
import dev.mobilenet.arch.Registry;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** Parameter counts and MACs against timm's numbers (from the issue and timm itself). */
class ParamCountTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "mobilenetv1_100, 4231976", "mobilenetv1_100h, 5282600", "mobilenetv1_125, 6270840",
            "mobilenetv2_035, 1677128", "mobilenetv2_050, 1968680", "mobilenetv2_075, 2636424",
            "mobilenetv2_100, 3504872", "mobilenetv2_110d, 4516520", "mobilenetv2_120d, 5831144",
            "mobilenetv2_140, 6108776", "mobilenetv3_large_075, 3993528", "mobilenetv3_large_100, 5483032",
            "mobilenetv3_large_150d, 14622320", "mobilenetv3_rw, 5479918", "mobilenetv3_small_050, 1593224",
            "mobilenetv3_small_075, 2041872", "mobilenetv3_small_100, 2542856",
            "tf_mobilenetv3_large_075, 3993528", "tf_mobilenetv3_large_100, 5483032",
            "tf_mobilenetv3_large_minimal_100, 3924288", "tf_mobilenetv3_small_075, 2041872",
            "tf_mobilenetv3_small_100, 2542856", "tf_mobilenetv3_small_minimal_100, 2044736",
            "mobilenetv3_large_100.miil_in21k, 18576133"})
    void paramsMatchTimm(String name, long params) {
        assertEquals(params, MobileNet.create(name).paramCount(), name);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"mobilenetv1_100, 568740352", "mobilenetv2_100, 300774272", "mobilenetv3_large_100, 216589760"})
    void macsAt224MatchSeed(String name, long macs) {
        assertEquals(macs, MobileNet.create(name).macs(224, 224), name);
    }

    @Test
    void everyRegisteredArchitectureParses() {
        Set<String> seen = new TreeSet<>();
        for (String a : Registry.ARCHITECTURES) {
            seen.add(ModelSpec.parse(a).arch());
        }
        assertEquals(23, seen.size());
    }
}

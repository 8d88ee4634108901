package dev.mobilenet.classify;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mobilenet.MobileNetException;
import dev.mobilenet.arch.ModelSpec;
import dev.mobilenet.model.MobileNet;
import dev.mobilenet.model.Weights;
import dev.mobilenet.preprocess.Interpolation;
import dev.mobilenet.preprocess.PreprocessConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Name → weights → class count → labels → preprocessing, for each source of weights, and the one-line errors. */
class ModelLoaderTest {
    @TempDir
    Path dir;

    private Path weights(String arch, int classes, long seed) {
        MobileNet net = MobileNet.create(ModelSpec.parse(arch), classes, seed);
        Path w = dir.resolve(arch + "-" + classes + ".safetensors");
        Weights.save(net, w);
        return w;
    }

    @Test
    void aWeightsFileGivesTheClassCountAndTheRegistryThePreprocessing() {
        Path w = weights("mobilenetv3_small_100", 10, 3);
        LoadedModel m = ModelLoader.load(ModelRequest.of("mobilenetv3_small_100").withWeights(w));
        assertEquals(10, m.numClasses());
        assertEquals(List.of(), m.labels(), "ImageNet's names do not fit 10 classes");
        assertEquals("mobilenetv3_small_100.lamb_in1k", m.name());
        assertEquals(m.ref().pretrained().orElseThrow().preprocess(), m.preprocess());
        assertEquals(w, m.weights().orElseThrow());
        MobileNet same = MobileNet.create(ModelSpec.parse("mobilenetv3_small_100"), 10, 3);
        assertArrayEquals(same.stateDict().get("classifier.weight").data(),
                m.net().stateDict().get("classifier.weight").data());
    }

    @Test
    void randomInitIsSeededAndTakesTheTagsClassCount() {
        LoadedModel a = ModelLoader.load(ModelRequest.of("mobilenetv3_large_100.miil_in21k").withRandomInit(7));
        assertEquals(11221, a.numClasses());
        assertEquals(11221, a.labels().size());
        LoadedModel b = ModelLoader.load(ModelRequest.of("mobilenetv3_large_100.miil_in21k").withRandomInit(7)
                .withNumClasses(5));
        assertEquals(5, b.numClasses());
        assertArrayEquals(a.net().stateDict().get("conv_stem.weight").data(),
                b.net().stateDict().get("conv_stem.weight").data());
        LoadedModel other = ModelLoader.load(ModelRequest.of("mobilenetv2_035").withRandomInit(0));
        assertEquals(1000, other.numClasses());
        assertEquals(PreprocessConfig.timmDefaults(), other.preprocess(), "no pretrained config: timm's defaults");
    }

    @Test
    void overridesChangeOnlyWhatTheyName() {
        PreprocessOverrides o = PreprocessOverrides.NONE.withInputSize(96, 128).withCropPct(1.0)
                .withCropMode("squash").withInterpolation(Interpolation.BILINEAR)
                .withMean(new float[] {0.5f, 0.5f, 0.5f}).withStd(new float[] {0.25f, 0.25f, 0.25f});
        LoadedModel m = ModelLoader.load(ModelRequest.of("mobilenetv2_100").withRandomInit(0).withPreprocess(o));
        assertEquals(new PreprocessConfig(96, 128, 1.0, "squash", Interpolation.BILINEAR,
                new float[] {0.5f, 0.5f, 0.5f}, new float[] {0.25f, 0.25f, 0.25f}), m.preprocess());
        PreprocessConfig base = ModelLoader.load(ModelRequest.of("mobilenetv2_100").withRandomInit(0)).preprocess();
        PreprocessConfig size = ModelLoader.load(ModelRequest.of("mobilenetv2_100").withRandomInit(0)
                .withPreprocess(PreprocessOverrides.NONE.withInputSize(160, 160))).preprocess();
        assertEquals(base.withInputSize(160, 160), size);
        assertTrue(PreprocessOverrides.NONE.isEmpty());
    }

    @Test
    void overridesOfOptionalValuesEqualTheWithers() {
        float[] mean = {0.5f, 0.5f, 0.5f};
        PreprocessOverrides o = PreprocessOverrides.of(new int[] {96, 128}, 1.0, "squash", "bilinear", mean,
                new float[] {0.25f, 0.25f, 0.25f});
        mean[0] = 0;
        assertEquals(PreprocessOverrides.NONE.withInputSize(96, 128).withCropPct(1.0).withCropMode("squash")
                .withInterpolation(Interpolation.BILINEAR).withMean(new float[] {0.5f, 0.5f, 0.5f})
                .withStd(new float[] {0.25f, 0.25f, 0.25f}), o, "each value given, copied");
        assertEquals(PreprocessOverrides.NONE.withCropPct(0.9),
                PreprocessOverrides.of(null, 0.9, null, null, null, null), "only the crop");
        assertTrue(PreprocessOverrides.of(null, null, null, null, null, null).isEmpty());
        assertEquals("input size must be positive, got 0x5", assertThrows(MobileNetException.class,
                () -> PreprocessOverrides.of(new int[] {0, 5}, null, null, "nope", null, null)).getMessage());
        assertThrows(MobileNetException.class, () -> PreprocessOverrides.of(null, null, null, "nope", null, null));
    }

    @Test
    void aLabelsFileNamesTheClasses() throws IOException {
        Path w = weights("mobilenetv2_050", 3, 0);
        Path labels = Files.writeString(dir.resolve("labels.txt"), "cat\n\n dog \nbird\n");
        LoadedModel m = ModelLoader.load(ModelRequest.of("mobilenetv2_050").withWeights(w).withLabels(labels));
        assertEquals(List.of("cat", "dog", "bird"), m.labels());
        Files.writeString(labels, "a\nb\n");
        MobileNetException e = assertThrows(MobileNetException.class, () -> ModelLoader.load(
                ModelRequest.of("mobilenetv2_050").withWeights(w).withLabels(labels)));
        assertEquals(labels + " has 2 labels but the model has 3 classes", e.getMessage());
    }

    @Test
    void errorsAreOneLine() {
        MobileNetException e = assertThrows(MobileNetException.class,
                () -> ModelLoader.load(ModelRequest.of("mobilenetv2_035")));
        assertEquals("mobilenetv2_035 has no pretrained weights on the Hub; give --weights FILE", e.getMessage());
        Path w = weights("mobilenetv2_050", 3, 0);
        e = assertThrows(MobileNetException.class, () -> ModelLoader.load(ModelRequest.of("mobilenetv2_100")
                .withWeights(w)));
        assertTrue(!e.getMessage().contains("\n"), e.getMessage());
        assertThrows(MobileNetException.class, () -> ModelLoader.load(ModelRequest.of("resnet50").withRandomInit(0)));
        assertThrows(MobileNetException.class, () -> ModelRequest.of("x").withNumClasses(-1));
        ModelRequest hub = ModelRequest.of("x");
        e = assertThrows(MobileNetException.class, () -> new ModelRequest("x", ModelRequest.Source.FILE,
                Optional.empty(), 0, Optional.empty(), "main", Optional.empty(), PreprocessOverrides.NONE,
                Optional.empty()));
        assertEquals("a weights file goes with Source.FILE, and only with it", e.getMessage());
        assertEquals(ModelRequest.Source.RANDOM_INIT, hub.withWeights(w).withRandomInit(3).source());
        assertEquals(Optional.empty(), hub.withWeights(w).withRandomInit(3).weights());
        assertEquals(hub.withLabels(w), ModelRequest.of("x").withLabels(w), "a record: equal parts, equal requests");
    }
}
